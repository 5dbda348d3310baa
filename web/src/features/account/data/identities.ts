import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

type Schemas = components['schemas']

/** The sign-ins linked to the signed-in user: Google (null when none is linked) and the SSO organizations. */
export type LinkedIdentities = Omit<Schemas['Identities'], 'google'> & { google: Schemas['LinkedGoogle'] | null }

/** The signed-in user's linked Google account and SSO organizations. */
export const identitiesQuery = queryOptions({
  queryKey: ['me', 'identities'],
  queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/me/identities', { signal }))) as LinkedIdentities,
})

/** See identitiesQuery. */
export function useLinkedIdentities() {
  return useQuery(identitiesQuery)
}

/** Unlinks the Google account (the password, or another sign-in, remains). */
export function useUnlinkGoogle() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => {
      await unwrap(api.DELETE('/api/v1/me/identities/google'))
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: identitiesQuery.queryKey }),
  })
}
