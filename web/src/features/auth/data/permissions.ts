import { useMe } from './api'

const rolePlural: Record<string, string> = {
  owner: 'owners',
  admin: 'admins',
  manager: 'managers',
  member: 'members',
  client: 'client contacts',
}

/** Roles as people say them: "owners", "owners and admins", "owners, admins and managers". */
export function roleList(roles: readonly string[]): string {
  const names = roles.map((r) => rolePlural[r] ?? `${r}s`)
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/**
 * The signed-in user's membership of orgId and a `can` check on its effective permissions (role set plus
 * overrides, as /me reports them). `loaded` is false until /me has answered, so pages don't flash a
 * "no access" state while loading. `whoCan` names the roles that hold a permission the user lacks, from
 * the organization's current role sets (/me's held_by), for hints such as "Only owners and admins can …".
 */
export function useOrgPermissions(orgId: string) {
  const { data: me } = useMe()
  const membership = me?.memberships.find((m) => m.organization.id === orgId)
  return {
    loaded: me !== undefined,
    role: membership?.role,
    userId: me?.user.id,
    can: (permission: string) => membership?.permissions.includes(permission) ?? false,
    whoCan: (permission: string): string[] => membership?.held_by?.[permission] ?? ['owner'],
  }
}
