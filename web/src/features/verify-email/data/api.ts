import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { Me } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'

/**
 * Confirms an email address with the token from the welcome email. No session
 * is needed (the token is the credential). On success a cached `me` of the same
 * user is updated at once, so the verify banner can't flash, and refetched.
 */
export function useVerifyEmail() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (token: string) => unwrap(api.POST('/api/v1/auth/verify-email', { body: { token } })),
    onSuccess: async ({ user }) => {
      queryClient.setQueryData<Me>(meQuery.queryKey, (me) => (me && me.user.id === user.id ? { ...me, user } : me))
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey })
    },
  })
}
