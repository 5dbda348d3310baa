import { describe, expect, it } from 'vitest'
import { roleList } from './permissions'

describe('roleList', () => {
  it('joins roles as the API refusal does', () => {
    expect(roleList(['owner'])).toBe('owners')
    expect(roleList(['owner', 'admin'])).toBe('owners and admins')
    expect(roleList(['owner', 'admin', 'manager'])).toBe('owners, admins and managers')
    expect(roleList(['owner', 'client'])).toBe('owners and client contacts')
    expect(roleList([])).toBe('')
  })
})
