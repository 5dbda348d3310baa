import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'

/** The organization's clients (first 200, newest first) for the client filter. */
export function useClientOptions(orgId: string, enabled: boolean) {
  const clients = useQuery({
    queryKey: ['orgs', orgId, 'clients', 'options'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/clients', { params: { path: { org_id: orgId }, query: { limit: 200 } }, signal })),
    enabled,
  })
  return clients.data?.data ?? []
}
