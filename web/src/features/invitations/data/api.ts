import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { ApiError } from '@/api/errors'
import { meQuery } from '@/features/auth/data/api'

/** The public preview of an invitation link (no sign-in needed). */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitations', token],
    enabled: token !== '',
    retry: false,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/invitations/{token}', { params: { path: { token } }, signal })),
  })
}

/** Accepts the invitation as the signed-in user; /me then lists the new organization. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (token: string) => unwrap(api.POST('/api/v1/invitations/accept', { body: { token } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
  })
}

/**
 * The signed-in user, or null when signed out: the accept page is public, so a 401 here is an answer,
 * not an expired session (a plain useMe would send the visitor to sign-in).
 */
export function useOptionalMe() {
  return useQuery({
    queryKey: ['me', 'optional'],
    queryFn: async ({ signal }) => {
      try {
        return await unwrap(api.GET('/api/v1/me', { signal }))
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null
        throw error
      }
    },
  })
}
