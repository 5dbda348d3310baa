import { describe, expect, it } from 'vitest'
import { groupPermissions, inviteSchema, overridesFor } from './schema'

describe('inviteSchema', () => {
  it('lower-cases and trims the address and needs a role', () => {
    expect(inviteSchema.parse({ email: ' Ada@Example.COM ', role: 'member' })).toEqual({ email: 'ada@example.com', role: 'member' })
    expect(inviteSchema.safeParse({ email: 'nope', role: 'member' }).success).toBe(false)
    expect(inviteSchema.safeParse({ email: 'a@b.co', role: 'owner' }).success).toBe(false)
  })
})

describe('groupPermissions', () => {
  it('keeps catalogue order within and across groups', () => {
    const groups = groupPermissions([
      { key: 'a', group: 'One' },
      { key: 'b', group: 'One' },
      { key: 'c', group: 'Two' },
    ])
    expect(groups.map((g) => [g.group, g.items.map((i) => i.key)])).toEqual([
      ['One', ['a', 'b']],
      ['Two', ['c']],
    ])
  })
})

describe('overridesFor', () => {
  it('keeps only what differs from the role', () => {
    expect(overridesFor(['clients.read'], { 'clients.read': false, 'clients.write': true, 'tasks.read': false })).toEqual([
      { permission: 'clients.read', granted: false },
      { permission: 'clients.write', granted: true },
    ])
  })
})
