import { Navigate, Outlet, useLocation, useMatch } from 'react-router'
import { useMe } from '@/features/auth/data/api'
import { contactRedirect } from '@/features/portal/data/access'

/**
 * Keeps client contacts out of the staff shell: /orgs/:orgId/… of an organization where the user is a
 * contact goes to its portal before the shell renders, so none of the workspace's queries (which the
 * server refuses a contact) run and the staff layout never flashes. RequireAuth above has loaded /me.
 */
export function ContactGate() {
  const { pathname } = useLocation()
  const orgId = useMatch('/orgs/:orgId/*')?.params.orgId ?? ''
  const { data: me } = useMe()
  const portal = orgId ? contactRedirect(me?.memberships ?? [], orgId, pathname) : null
  return portal ? <Navigate to={portal} replace /> : <Outlet />
}
