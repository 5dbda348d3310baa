import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** A unified search answer, its groups and hits, as the API sends them. */
export type SearchResults = components['schemas']['SearchResults']
export type SearchGroup = components['schemas']['SearchGroup']
export type SearchHit = components['schemas']['SearchHit']
export type TextSegment = components['schemas']['TextSegment']

/** The longest query the API accepts. */
export const searchQueryMaxLength = 200

/** The query as it will be searched: trimmed, and null when there is nothing (or too much) to search. */
export function searchableQuery(q: string): string | null {
  const trimmed = q.trim()
  return trimmed === '' || [...trimmed].length > searchQueryMaxLength ? null : trimmed
}

/**
 * GET …/search for q (already debounced). Each new query aborts the request of the one before it
 * (TanStack Query aborts the signal of a query nobody observes any more), and the previous answer stays on
 * screen until the new one arrives.
 */
export function useSearch(orgId: string, q: string | null) {
  return useQuery({
    queryKey: ['orgs', orgId, 'search', q],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/search', { params: { path: { org_id: orgId }, query: { q: q ?? '', limit: 5 } }, signal })),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}
