import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** A CSV export and how far it got. */
export type Export = components['schemas']['Export']
/** What can be exported: one list each. */
export type ExportKind = Export['kind']

/** How often a running export's progress is polled. */
const pollMs = 1000

/** Query keys: the requester's exports of an org. */
export const exportKeys = {
  all: (orgId: string) => ['orgs', orgId, 'exports'] as const,
  one: (orgId: string, id: string) => [...exportKeys.all(orgId), 'one', id] as const,
}

/** Whether an export is still being written. */
export function isRunning(e: Export | undefined): boolean {
  return e?.status === 'pending' || e?.status === 'running'
}

/** Starts an export of a list with its current filters (the list's query parameters). */
export function useCreateExport(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { kind: ExportKind; filters: Record<string, string> }) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/exports', { params: { path: { org_id: orgId } }, body })),
    onSuccess: (e) => {
      queryClient.setQueryData(exportKeys.one(orgId, e.id), e)
      return queryClient.invalidateQueries({ queryKey: exportKeys.all(orgId), exact: true })
    },
  })
}

/** One export, polled every second while it runs. */
export function useExport(orgId: string, id: string | undefined) {
  return useQuery({
    queryKey: exportKeys.one(orgId, id ?? ''),
    enabled: Boolean(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/exports/{export_id}', {
          params: { path: { org_id: orgId, export_id: id ?? '' } },
          signal,
        }),
      ),
    refetchInterval: (query) => (isRunning(query.state.data) ? pollMs : false),
  })
}

/** The signed-in user's recent exports, newest first; polled while one runs. */
export function useExports(orgId: string) {
  return useQuery({
    queryKey: exportKeys.all(orgId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/exports', { params: { path: { org_id: orgId } }, signal })),
    refetchInterval: (query) => (query.state.data?.data.some(isRunning) ? pollMs : false),
  })
}

/** Keeps only the filters that are set, as strings, for the export request. */
export function exportFilters(filters: Record<string, string | number | boolean | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(filters)) {
    if (v !== undefined && v !== null && v !== '') out[k] = String(v)
  }
  return out
}
