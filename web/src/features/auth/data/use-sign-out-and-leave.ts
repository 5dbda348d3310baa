import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { useSignOut } from './api'

/** Signs out, goes to /sign-in and only then forgets the cache, so nothing refetches as a signed-out user. */
export function useSignOutAndLeave() {
  const signOut = useSignOut()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  return async () => {
    try {
      await signOut.mutateAsync()
    } catch {
      // Already signed out, or the server is down: leaving is still right; errors were reported.
    }
    await navigate('/sign-in', { replace: true })
    queryClient.clear()
  }
}
