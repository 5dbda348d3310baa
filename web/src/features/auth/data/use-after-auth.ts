import { useQueryClient } from '@tanstack/react-query'
import { useNavigate, useSearchParams } from 'react-router'
import { homePath } from '@/lib/last-org'
import { safeNextPath } from '@/lib/redirect'
import { meQuery } from './api'

/**
 * After sign-in or sign-up: forget the previous user's cache, load the new
 * user's memberships and go back where the user came from, or home.
 */
export function useAfterAuth() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const next = safeNextPath(params.get('next'))

  return async () => {
    queryClient.removeQueries()
    const me = await queryClient.fetchQuery({ ...meQuery, staleTime: 0 })
    await navigate(next ?? homePath(me.memberships), { replace: true })
  }
}
