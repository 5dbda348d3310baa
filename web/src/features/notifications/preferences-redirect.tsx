import { Navigate, useParams } from 'react-router'

/** /orgs/:orgId/notifications/preferences (the link in notification emails) opens the account page on that organization. */
export function PreferencesRedirect() {
  const { orgId = '' } = useParams()
  return <Navigate to={`/account/notifications?org=${encodeURIComponent(orgId)}`} replace />
}
