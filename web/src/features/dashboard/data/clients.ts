import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'

/** How many clients the filter lists at once; past that, a search box narrows them. */
export const clientOptionsLimit = 200

/**
 * The clients the filter offers: the newest `clientOptionsLimit` (or those matching `q`), plus whether
 * more exist, and the selected client when it is not among them, so a link to any client's dashboard
 * shows its name.
 */
export function useClientOptions(orgId: string, enabled: boolean, q: string, selectedId: string | undefined) {
  const list = useQuery({
    queryKey: ['orgs', orgId, 'clients', 'options', q],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/clients', {
          params: { path: { org_id: orgId }, query: { limit: clientOptionsLimit, q: q || undefined } },
          signal,
        }),
      ),
    enabled,
    placeholderData: keepPreviousData,
  })
  const options = list.data?.data ?? []
  const missing = !!selectedId && !!list.data && !options.some((c) => c.id === selectedId)
  const selected = useQuery({
    queryKey: ['orgs', orgId, 'clients', 'option', selectedId],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/clients/{client_id}', { params: { path: { org_id: orgId, client_id: selectedId ?? '' } }, signal })),
    enabled: enabled && missing,
  })
  const withSelected = missing && selected.data ? [selected.data, ...options] : options
  return { clients: withSelected, more: !!list.data?.next_cursor, searching: list.isFetching }
}
