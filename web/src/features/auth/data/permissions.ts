import { useMe } from './api'

/**
 * The signed-in user's membership of orgId and a `can` check on its effective permissions (role set plus
 * overrides, as /me reports them). `loaded` is false until /me has answered, so pages don't flash a
 * "no access" state while loading.
 */
export function useOrgPermissions(orgId: string) {
  const { data: me } = useMe()
  const membership = me?.memberships.find((m) => m.organization.id === orgId)
  return {
    loaded: me !== undefined,
    role: membership?.role,
    userId: me?.user.id,
    can: (permission: string) => membership?.permissions.includes(permission) ?? false,
  }
}
