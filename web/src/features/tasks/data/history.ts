import { useInfiniteQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { taskKeys } from './api'

/** A page of a task's earlier changes. */
export type TaskHistoryPage = components['schemas']['TaskHistoryPage']

/**
 * A task's changes from before the latest ones its detail carries, a page at a time once `enabled`:
 * `before` is the detail's audit_log_before (the key holds it, so a refreshed detail starts afresh). Pages
 * come newest page first, each oldest first.
 */
export function useTaskHistory(orgId: string, projectId: string, taskId: string, before: string | null | undefined, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...taskKeys.detail(orgId, projectId, taskId), 'history', before ?? ''],
    enabled: enabled && Boolean(before),
    initialPageParam: before ?? '',
    getNextPageParam: (page: TaskHistoryPage) => page.next_cursor ?? undefined,
    queryFn: ({ pageParam, signal }): Promise<TaskHistoryPage> =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/history', {
          params: { path: { org_id: orgId, project_id: projectId, task_id: taskId }, query: { cursor: pageParam, limit: 50 } },
          signal,
        }),
      ),
  })
}
