import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'

/** Emails caught by the development mailbox, newest first; polled so new mail shows up by itself. */
export function useMailbox(enabled: boolean) {
  return useQuery({
    queryKey: ['dev', 'mailbox'],
    queryFn: async ({ signal }) => {
      const { data } = await unwrap(api.GET('/api/v1/dev/mailbox', { signal }))
      return [...data].sort((a, b) => b.created_at.localeCompare(a.created_at))
    },
    enabled,
    refetchInterval: 5_000,
  })
}
