import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** One comment on a task; body_html is sanitised by the server; `internal` ones never reach the client's contacts. */
export type TaskComment = components['schemas']['Comment']
/** Body of a new comment (or, without `internal`, an edit); `internal` hides it from the client portal for good. */
export type CommentWrite = components['schemas']['CommentCreate']

/** Query key of a task's comments. */
export const commentKeys = {
  list: (orgId: string, projectId: string, taskId: string) => ['orgs', orgId, 'projects', projectId, 'tasks', taskId, 'comments'] as const,
}

/** A task's comments, oldest first. */
export function useComments(orgId: string, projectId: string, taskId: string) {
  return useQuery({
    queryKey: commentKeys.list(orgId, projectId, taskId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/comments', {
          params: { path: { org_id: orgId, project_id: projectId, task_id: taskId } },
          signal,
        }),
      ),
  })
}

/** Creates, edits and deletes comments of one task, refreshing the list after each. */
export function useCommentMutations(orgId: string, projectId: string, taskId: string) {
  const queryClient = useQueryClient()
  const path = { org_id: orgId, project_id: projectId, task_id: taskId }
  const onSettled = () => queryClient.invalidateQueries({ queryKey: commentKeys.list(orgId, projectId, taskId) })
  return {
    create: useMutation({
      mutationFn: (body: CommentWrite) =>
        unwrap(api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/comments', { params: { path }, body })),
      onSettled,
    }),
    update: useMutation({
      mutationFn: ({ commentId, body }: { commentId: string; body: CommentWrite }) =>
        unwrap(
          api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/comments/{comment_id}', {
            params: { path: { ...path, comment_id: commentId } },
            body,
          }),
        ),
      onSettled,
    }),
    remove: useMutation({
      mutationFn: (commentId: string) =>
        unwrap(
          api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/comments/{comment_id}', {
            params: { path: { ...path, comment_id: commentId } },
          }),
        ),
      onSettled,
    }),
  }
}
