import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import type { AuditFilters } from './filters'

/** One row of the organization's audit log. */
export type AuditEntry = components['schemas']['AuditEntry']

/** Rows per page of the log ("Load more" fetches the next). */
export const auditPageSize = 50

/** Query keys: everything about an org's audit log sits under `all`. */
export const auditKeys = {
  all: (orgId: string) => ['orgs', orgId, 'audit-log'] as const,
  list: (orgId: string, filters: AuditFilters) => [...auditKeys.all(orgId), 'list', filters] as const,
  catalogue: (orgId: string) => [...auditKeys.all(orgId), 'catalogue'] as const,
}

/** The audit log, newest first, as filters narrow it, a page at a time. */
export function useAuditLog(orgId: string, filters: AuditFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(orgId, filters),
    enabled,
    initialPageParam: undefined as string | undefined,
    placeholderData: keepPreviousData,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/audit-log', {
          params: {
            path: { org_id: orgId },
            query: {
              from: filters.from,
              to: filters.to,
              actor_id: filters.actor_id,
              action: filters.action,
              entity_type: filters.entity_type,
              q: filters.q,
              cursor: pageParam,
              limit: auditPageSize,
            },
          },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  })
}

/** The actions and entity types the log records, for the filters. */
export function useAuditCatalogue(orgId: string, enabled = true) {
  return useQuery({
    queryKey: auditKeys.catalogue(orgId),
    enabled,
    staleTime: Infinity,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/audit-log/actions', { params: { path: { org_id: orgId } }, signal })),
  })
}
