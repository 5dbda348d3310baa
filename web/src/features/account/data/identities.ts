import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { networkError, parseProblem } from '@/api/errors'

/** The sign-ins linked to the signed-in user. The type mirrors the API's answer to GET /api/v1/me/identities. */
export interface LinkedIdentities {
  google: { email: string; linked_at: string } | null
  /** Whether "Sign in with Google" is configured, so a Google account can be linked. */
  google_available: boolean
  sso: { organization_id: string; organization_name: string; email: string; last_seen_at: string }[]
}

// These routes are not in the generated client yet, so this is a small fetch with the client's conventions:
// the session cookie, problem+json answers and network failures as ApiError.
async function request<T>(method: string, path: string, signal?: AbortSignal): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json' },
    })
  } catch (cause) {
    if (signal?.aborted) throw cause
    throw networkError(cause)
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined)
    throw parseProblem(response.status, body, response.headers)
  }
  return (response.status === 204 ? undefined : await response.json()) as T
}

/** The signed-in user's linked Google account and SSO organizations. */
export const identitiesQuery = queryOptions({
  queryKey: ['me', 'identities'],
  queryFn: ({ signal }) => request<LinkedIdentities>('GET', '/api/v1/me/identities', signal),
})

/** See identitiesQuery. */
export function useLinkedIdentities() {
  return useQuery(identitiesQuery)
}

/** Unlinks the Google account (the password, or another sign-in, remains). */
export function useUnlinkGoogle() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => request<void>('DELETE', '/api/v1/me/identities/google'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: identitiesQuery.queryKey }),
  })
}
