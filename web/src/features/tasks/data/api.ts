import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { moveCard, moveColumn, neighbours, type CardDrop } from './board-order'
import type { Board, TaskUpdate } from './types'

type Schemas = components['schemas']

/** Query keys: everything about a project's tasks sits under `all`, so one invalidation refreshes it. */
export const taskKeys = {
  all: (orgId: string, projectId: string) => ['orgs', orgId, 'projects', projectId, 'tasks'] as const,
  board: (orgId: string, projectId: string) => [...taskKeys.all(orgId, projectId), 'board'] as const,
  list: (orgId: string, projectId: string, filters: TaskListFilters) => [...taskKeys.all(orgId, projectId), 'list', filters] as const,
  detail: (orgId: string, projectId: string, taskId: string) => [...taskKeys.all(orgId, projectId), 'detail', taskId] as const,
}

/** What the task list is narrowed and ordered by (all kept in the URL). */
export interface TaskListFilters {
  assignee_id?: string
  priority?: 'low' | 'medium' | 'high' | 'urgent'
  due_before?: string
  due_after?: string
  column_id?: string
  q?: string
  sort?: 'position' | 'due_date' | 'priority' | 'created_at' | 'number'
  order?: 'asc' | 'desc'
  cursor?: string
}

const path = (orgId: string, projectId: string) => ({ org_id: orgId, project_id: projectId })

/** The project's board: columns with their cards. */
export function useBoard(orgId: string, projectId: string) {
  return useQuery({
    queryKey: taskKeys.board(orgId, projectId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/board', { params: { path: path(orgId, projectId) }, signal })),
  })
}

/** One filtered, sorted page of the project's tasks. */
export function useTaskList(orgId: string, projectId: string, filters: TaskListFilters) {
  return useQuery({
    queryKey: taskKeys.list(orgId, projectId, filters),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/tasks', {
          params: { path: path(orgId, projectId), query: { ...filters, limit: 50 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  })
}

/** A task with its subtasks and audit log. */
export function useTask(orgId: string, projectId: string, taskId: string | null) {
  return useQuery({
    queryKey: taskKeys.detail(orgId, projectId, taskId ?? ''),
    enabled: Boolean(taskId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}', {
          params: { path: { ...path(orgId, projectId), task_id: taskId ?? '' } },
          signal,
        }),
      ),
  })
}

/** The people who can be assigned: the project's members. */
export function useProjectMembers(orgId: string, projectId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'projects', projectId, 'members'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/members', { params: { path: path(orgId, projectId) }, signal })),
  })
}

/** Refreshes everything about the project's tasks after a change. */
function useInvalidate(orgId: string, projectId: string) {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: taskKeys.all(orgId, projectId) })
}

/** Creates a task (at the end of its column). */
export function useCreateTask(orgId: string, projectId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  return useMutation({
    mutationFn: (body: Schemas['TaskCreate']) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/tasks', { params: { path: path(orgId, projectId) }, body })),
    onSuccess: invalidate,
  })
}

/** Sends only the changed fields of a task. */
export function useUpdateTask(orgId: string, projectId: string, taskId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  return useMutation({
    mutationFn: (body: TaskUpdate) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}', {
          params: { path: { ...path(orgId, projectId), task_id: taskId } },
          body,
        }),
      ),
    onSettled: invalidate,
  })
}

/** Deletes a task. */
export function useDeleteTask(orgId: string, projectId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  return useMutation({
    mutationFn: (taskId: string) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}', {
          params: { path: { ...path(orgId, projectId), task_id: taskId } },
        }),
      ),
    onSettled: invalidate,
  })
}

/**
 * Moves a card: the board changes at once and rolls back with a toast when
 * the server refuses.
 */
export function useMoveTask(orgId: string, projectId: string) {
  const queryClient = useQueryClient()
  const key = taskKeys.board(orgId, projectId)
  return useMutation({
    mutationFn: ({ drop, board }: { drop: CardDrop; board: Board }) => {
      const { afterId, beforeId } = neighbours(board, drop)
      return unwrap(
        api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/move', {
          params: { path: { ...path(orgId, projectId), task_id: drop.taskId } },
          body: { column_id: drop.columnId, after_id: afterId, before_id: beforeId },
        }),
      )
    },
    onMutate: async ({ drop, board }) => {
      await queryClient.cancelQueries({ queryKey: key })
      queryClient.setQueryData(key, moveCard(board, drop))
      return { previous: board }
    },
    onError: (_error, _vars, context) => {
      if (context) queryClient.setQueryData(key, context.previous)
      toast.error('The task could not be moved; it is back where it was.')
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: taskKeys.all(orgId, projectId) }),
  })
}

/** Adds a column at the end of the board. */
export function useCreateColumn(orgId: string, projectId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  return useMutation({
    mutationFn: (body: Schemas['ColumnCreate']) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/columns', { params: { path: path(orgId, projectId) }, body })),
    onSuccess: invalidate,
  })
}

/** Renames, recolours or flags a column. */
export function useUpdateColumn(orgId: string, projectId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  return useMutation({
    mutationFn: ({ columnId, body }: { columnId: string; body: Schemas['ColumnUpdate'] }) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}/columns/{column_id}', {
          params: { path: { ...path(orgId, projectId), column_id: columnId } },
          body,
        }),
      ),
    onSettled: invalidate,
  })
}

/** Reorders a column, optimistically, rolling back with a toast on failure. */
export function useMoveColumn(orgId: string, projectId: string) {
  const queryClient = useQueryClient()
  const key = taskKeys.board(orgId, projectId)
  return useMutation({
    mutationFn: ({ columnId, index, board }: { columnId: string; index: number; board: Board }) => {
      const others = board.columns.filter((c) => c.id !== columnId)
      const after = others[index - 1]
      const move = after ? { after_id: after.id } : { before_id: others[0]?.id }
      return unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}/columns/{column_id}', {
          params: { path: { ...path(orgId, projectId), column_id: columnId } },
          body: { move },
        }),
      )
    },
    onMutate: async ({ columnId, index, board }) => {
      await queryClient.cancelQueries({ queryKey: key })
      queryClient.setQueryData(key, moveColumn(board, columnId, index))
      return { previous: board }
    },
    onError: (_error, _vars, context) => {
      if (context) queryClient.setQueryData(key, context.previous)
      toast.error('The column could not be moved; it is back where it was.')
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  })
}

/** Deletes a column, moving its tasks to another. */
export function useDeleteColumn(orgId: string, projectId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  return useMutation({
    mutationFn: ({ columnId, moveTasksTo }: { columnId: string; moveTasksTo?: string }) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}/columns/{column_id}', {
          params: { path: { ...path(orgId, projectId), column_id: columnId } },
          body: moveTasksTo ? { move_tasks_to: moveTasksTo } : undefined,
        }),
      ),
    onSettled: invalidate,
  })
}

/** Adds, changes and removes a task's subtasks. */
export function useSubtaskMutations(orgId: string, projectId: string, taskId: string) {
  const invalidate = useInvalidate(orgId, projectId)
  const p = { ...path(orgId, projectId), task_id: taskId }
  const create = useMutation({
    mutationFn: (title: string) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/subtasks', { params: { path: p }, body: { title } })),
    onSettled: invalidate,
  })
  const update = useMutation({
    mutationFn: ({ subtaskId, body }: { subtaskId: string; body: Schemas['SubtaskUpdate'] }) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/subtasks/{subtask_id}', {
          params: { path: { ...p, subtask_id: subtaskId } },
          body,
        }),
      ),
    onSettled: invalidate,
  })
  const remove = useMutation({
    mutationFn: (subtaskId: string) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/subtasks/{subtask_id}', {
          params: { path: { ...p, subtask_id: subtaskId } },
        }),
      ),
    onSettled: invalidate,
  })
  return { create, update, remove }
}
