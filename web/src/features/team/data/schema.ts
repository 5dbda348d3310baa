import { z } from 'zod'

/** Roles someone can be given or invited with; the owner changes only by a transfer. */
export const assignableRoles = ['admin', 'manager', 'member', 'client'] as const

/** A role that can be assigned. */
export type AssignableRole = (typeof assignableRoles)[number]

/** Display names of every role. */
export const roleLabels: Record<string, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  member: 'Member',
  client: 'Client',
}

/** The invite dialog's fields. */
export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Email is required').email('Enter a valid email address').max(254, 'Use at most 254 characters'),
  role: z.enum(assignableRoles, { message: 'Choose a role' }),
})

/** What the invite form holds before validation. */
export type InviteInput = z.input<typeof inviteSchema>
/** What the invite form submits. */
export type InviteValues = z.output<typeof inviteSchema>

/** Groups catalogue entries by their group, keeping the catalogue's order. */
export function groupPermissions<T extends { group: string }>(permissions: T[]): { group: string; items: T[] }[] {
  const groups: { group: string; items: T[] }[] = []
  for (const p of permissions) {
    const last = groups.at(-1)
    if (last?.group === p.group) last.items.push(p)
    else groups.push({ group: p.group, items: [p] })
  }
  return groups
}

/** Overrides that differ from the role: granted where the role lacks it, denied where it has it. */
export function overridesFor(rolePermissions: string[], wanted: Record<string, boolean>): { permission: string; granted: boolean }[] {
  return Object.entries(wanted)
    .filter(([permission, on]) => rolePermissions.includes(permission) !== on)
    .map(([permission, granted]) => ({ permission, granted }))
}
