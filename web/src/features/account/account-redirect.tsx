import { Navigate, useLocation } from 'react-router'

/**
 * /account — the profile, except for the answer to linking a Google account (?linked= or ?sso_error=),
 * which goes with its query to the Security tab where linked identities live.
 */
export function AccountRedirect() {
  const { search } = useLocation()
  const params = new URLSearchParams(search)
  const linking = params.has('linked') || params.has('sso_error')
  return <Navigate to={{ pathname: linking ? '/account/security' : '/account/profile', search: linking ? search : '' }} replace />
}
