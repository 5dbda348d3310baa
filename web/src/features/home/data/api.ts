import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** The signed-in member's home page: open tasks, today's time, running timer, latest mentions. */
export type MyWork = components['schemas']['MyWork']
/** An open task assigned to the member. */
export type MyTask = components['schemas']['MyTask']

/** Query keys of the home page. */
export const myWorkKeys = {
  all: (orgId: string) => ['orgs', orgId, 'me', 'work'] as const,
}

/** Local midnight, so "today's time" is the member's own day. */
function dayStart(now: Date): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
}

/** GET /me/work: one request for the whole page. */
export function useMyWork(orgId: string) {
  return useQuery({
    queryKey: myWorkKeys.all(orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/me/work', {
          params: { path: { org_id: orgId }, query: { day_start: dayStart(new Date()) } },
          signal,
        }),
      ),
    staleTime: 30_000,
  })
}
