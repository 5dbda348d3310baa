import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { unsubscribeThisBrowser } from '@/features/notifications/data/push'
import { meQuery, useSignOut } from './api'

/**
 * Signs out, goes to /sign-in and only then forgets the cache, so nothing refetches as a signed-out user.
 * First this browser stops getting the user's web pushes (quickly, best effort: see unsubscribeThisBrowser).
 */
export function useSignOutAndLeave() {
  const signOut = useSignOut()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  return async () => {
    const memberships = queryClient.getQueryData(meQuery.queryKey)?.memberships ?? []
    await unsubscribeThisBrowser(memberships.map((m) => m.organization.id))
    try {
      await signOut.mutateAsync()
    } catch {
      // Already signed out, or the server is down: leaving is still right; errors were reported.
    }
    await navigate('/sign-in', { replace: true })
    queryClient.clear()
  }
}
