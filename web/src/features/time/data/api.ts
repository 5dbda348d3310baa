import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { myWorkKeys } from '@/features/home/data/api'

type Schemas = components['schemas']
/** A logged stretch of work; a running timer has no end and no minutes. */
export type TimeEntry = Schemas['TimeEntry']
/** Body of POST /time/entries. */
export type TimeEntryCreate = Schemas['TimeEntryCreate']
/** Body of PATCH /time/entries/{entry_id}: only the changed fields. */
export type TimeEntryUpdate = Schemas['TimeEntryUpdate']
/** A project's budget next to the time logged on it. */
export type ProjectBudgetBurn = Schemas['ProjectBudgetBurn']

/** What the timesheet lists: a UTC week (from..to inclusive), optionally one project or person. */
export interface TimeEntryFilters {
  from: string
  to: string
  projectId?: string
  userId?: string
}

/** Query keys: everything about an org's time sits under `all`, so one invalidation refreshes it. */
export const timeKeys = {
  all: (orgId: string) => ['orgs', orgId, 'time'] as const,
  timer: (orgId: string) => [...timeKeys.all(orgId), 'timer'] as const,
  entries: (orgId: string, filters: TimeEntryFilters) => [...timeKeys.all(orgId), 'entries', filters] as const,
  budget: (orgId: string, projectId: string) => [...timeKeys.all(orgId), 'budget', projectId] as const,
}

/** Refreshes everything that shows the org's time: the timesheet, the timer and the home page. */
function invalidateTime(queryClient: ReturnType<typeof useQueryClient>, orgId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: timeKeys.all(orgId) }),
    queryClient.invalidateQueries({ queryKey: myWorkKeys.all(orgId) }),
  ])
}

/** The signed-in user's running timer, or null. */
export function useTimer(orgId: string) {
  return useQuery({
    queryKey: timeKeys.timer(orgId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/time/timer', { params: { path: { org_id: orgId } }, signal })).then((s) => s.entry ?? null),
  })
}

/** Starts the timer; the API stops a running one first. */
export function useStartTimer(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { project_id: string; task_id?: string; note?: string }) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/time/timer/start', { params: { path: { org_id: orgId } }, body })),
    onSuccess: () => invalidateTime(queryClient, orgId),
  })
}

/** Stops the running timer. */
export function useStopTimer(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/orgs/{org_id}/time/timer/stop', { params: { path: { org_id: orgId } } })),
    onSettled: () => invalidateTime(queryClient, orgId),
  })
}

/** Every entry of the range (the API pages at 200; a week of one team fits, later pages are fetched too). */
export function useTimeEntries(orgId: string, filters: TimeEntryFilters) {
  return useQuery({
    queryKey: timeKeys.entries(orgId, filters),
    queryFn: async ({ signal }) => {
      const all: TimeEntry[] = []
      let cursor: string | undefined
      do {
        const page = await unwrap(
          api.GET('/api/v1/orgs/{org_id}/time/entries', {
            params: {
              path: { org_id: orgId },
              query: { from: filters.from, to: filters.to, project_id: filters.projectId, user_id: filters.userId, limit: 200, cursor },
            },
            signal,
          }),
        )
        all.push(...page.data)
        cursor = page.next_cursor ?? undefined
      } while (cursor)
      return all
    },
  })
}

/** Logs time by hand. */
export function useCreateTimeEntry(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: TimeEntryCreate) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/time/entries', { params: { path: { org_id: orgId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: timeKeys.all(orgId) }),
  })
}

/** Sends only the changed fields of an entry. */
export function useUpdateTimeEntry(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ entryId, body }: { entryId: string; body: TimeEntryUpdate }) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/time/entries/{entry_id}', { params: { path: { org_id: orgId, entry_id: entryId } }, body }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: timeKeys.all(orgId) }),
  })
}

/** Deletes an entry for good. */
export function useDeleteTimeEntry(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (entryId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/time/entries/{entry_id}', { params: { path: { org_id: orgId, entry_id: entryId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: timeKeys.all(orgId) }),
  })
}

/** A project's budget burn. */
export function useProjectBudget(orgId: string, projectId: string) {
  return useQuery({
    queryKey: timeKeys.budget(orgId, projectId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/budget', {
          params: { path: { org_id: orgId, project_id: projectId } },
          signal,
        }),
      ),
  })
}

/** The open projects the user can see, for pickers (the first 200 by the API's order). */
export function useProjectOptions(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'projects', 'options'],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects', { params: { path: { org_id: orgId }, query: { limit: 200 } }, signal }),
      ).then((page) => page.data.map((p) => ({ id: p.id, name: p.name }))),
  })
}

/** A project's tasks, for pickers; nothing until a project is chosen. */
export function useTaskOptions(orgId: string, projectId: string | undefined) {
  return useQuery({
    queryKey: ['orgs', orgId, 'projects', projectId, 'tasks', 'options'],
    enabled: Boolean(projectId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/tasks', {
          params: { path: { org_id: orgId, project_id: projectId ?? '' }, query: { limit: 200 } },
          signal,
        }),
      ).then((page) => page.data.map((t) => ({ id: t.id, title: `#${t.number} ${t.title}` }))),
  })
}
