import { describe, expect, it } from 'vitest'
import { allowlistErrors, allowlistRow, entriesFromRows, listsAddress, rowsFromEntries, withCurrentAddress } from './allowlist'

describe('allowlist rows', () => {
  it('start with one blank row for an empty list', () => {
    const rows = rowsFromEntries([])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ cidr: '', label: '' })
  })

  it('save trimmed entries without blank rows, remembering which row each came from', () => {
    const rows = [allowlistRow(' 203.0.113.0/24 ', ' Office '), allowlistRow(), allowlistRow('2001:db8::/32', '')]
    const { entries, rowKeys } = entriesFromRows(rows)
    expect(entries).toEqual([
      { cidr: '203.0.113.0/24', label: 'Office' },
      { cidr: '2001:db8::/32', label: '' },
    ])
    expect(rowKeys).toEqual([rows[0].key, rows[2].key])
  })

  it('add the current address once, into a blank row when there is one', () => {
    const blank = rowsFromEntries([])
    const added = withCurrentAddress(blank, '198.51.100.7', 'My network')
    expect(added).toEqual([{ key: blank[0].key, cidr: '198.51.100.7', label: 'My network' }])
    expect(withCurrentAddress(added, '198.51.100.7', 'again')).toEqual(added)
    expect(listsAddress([allowlistRow('198.51.100.7/32')], '198.51.100.7')).toBe(true)
    expect(listsAddress([allowlistRow('2001:db8::1/128')], '2001:db8::1')).toBe(true)
    const full = [allowlistRow('203.0.113.0/24')]
    expect(withCurrentAddress(full, '198.51.100.7', '')).toHaveLength(2)
  })

  it('put the server’s errors on their rows and the lock-out refusal on the list', () => {
    const rows = [allowlistRow('10.0.0.0/8'), allowlistRow(), allowlistRow('nonsense')]
    const { rowKeys } = entriesFromRows(rows)
    const errors = allowlistErrors({ 'entries[1].cidr': 'Enter an IP address', entries: 'This list would lock you out' }, rowKeys)
    expect(errors).toEqual({ rows: { [rows[2].key]: 'Enter an IP address' }, list: 'This list would lock you out' })
  })
})
