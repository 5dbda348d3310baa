import { queryOptions, useMutation, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { safeNextPath } from '@/lib/redirect'

/** Which external sign-ins this deployment offers (Google, when configured). */
export const providersQuery = queryOptions({
  queryKey: ['auth', 'providers'],
  queryFn: ({ signal }) => unwrap(api.GET('/api/v1/auth/providers', { signal })),
  staleTime: Infinity,
})

/** See providersQuery. */
export function useAuthProviders() {
  return useQuery(providersQuery)
}

/** Finds the SSO sign-in for a work email: an organization's start URL, or 404 when its domain has none. */
export function useSSODiscover() {
  return useMutation({
    meta: { unauthorizedIsExpected: true },
    mutationFn: (email: string) => unwrap(api.POST('/api/v1/auth/sso/discover', { body: { email } })),
  })
}

/** `path` with ?return_to= (or &return_to=) added when `returnTo` is a safe path inside the app. */
export function withReturnTo(path: string, returnTo: string | null): string {
  const next = safeNextPath(returnTo)
  if (!next || next === '/') return path
  return `${path}${path.includes('?') ? '&' : '?'}return_to=${encodeURIComponent(next)}`
}

/** The browser route that starts "Sign in with Google", coming back to `returnTo` afterwards. */
export function googleStartPath(returnTo: string | null): string {
  return withReturnTo('/api/v1/auth/google/start', returnTo)
}

/** The browser route that links a Google account to the signed-in user (back to /account afterwards). */
export const googleLinkPath = '/api/v1/auth/google/start?link=1'

/** The browser route that signs in through an organization's IdP, coming back to `returnTo` afterwards. */
export function ssoStartPath(orgId: string, returnTo: string | null): string {
  return withReturnTo(`/api/v1/auth/sso/${encodeURIComponent(orgId)}/start`, returnTo)
}
