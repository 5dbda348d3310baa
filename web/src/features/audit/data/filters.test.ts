import { describe, expect, it } from 'vitest'
import { actionGroups, auditFiltersFrom, describeMetadata, humanize } from './filters'

describe('auditFiltersFrom', () => {
  it('keeps the known, non-empty filters of the URL', () => {
    const params = new URLSearchParams('action=member&q=%20%20&from=2026-12-01&page=3&actor_id=abc')
    expect(auditFiltersFrom(params)).toEqual({ action: 'member', from: '2026-12-01', actor_id: 'abc' })
  })
})

describe('actionGroups', () => {
  it('lists each entity prefix once, in order', () => {
    expect(actionGroups(['auth.signed_in', 'member.invited', 'auth.sign_in_failed', 'member.removed'])).toEqual(['auth', 'member'])
  })
})

describe('humanize', () => {
  it('reads an action as words', () => {
    expect(humanize('member.role_changed')).toBe('Member role changed')
  })
})

describe('describeMetadata', () => {
  it('pairs before and after per field and keeps the other facts', () => {
    const { changes, facts } = describeMetadata({
      before: { role: 'member', overrides: [] },
      after: { role: 'manager', overrides: ['+clients.delete'] },
      email: 'mel@example.com',
      replayed: 2,
    })
    expect(changes).toEqual([
      { field: 'role', before: 'member', after: 'manager' },
      { field: 'overrides', before: 'none', after: '+clients.delete' },
    ])
    expect(facts).toEqual([
      ['email', 'mel@example.com'],
      ['replayed', '2'],
    ])
  })

  it('shows a field missing on one side as a dash', () => {
    expect(describeMetadata({ before: {}, after: { brand_color: '#123456' } }).changes).toEqual([
      { field: 'brand_color', before: '—', after: '#123456' },
    ])
  })
})
