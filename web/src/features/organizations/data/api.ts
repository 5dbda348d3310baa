import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { OrganizationCreate } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'

/** One organization; 404 when it doesn't exist or the user isn't a member. */
export function organizationQuery(orgId: string) {
  return queryOptions({
    queryKey: ['orgs', orgId],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}', { params: { path: { org_id: orgId } }, signal })),
  })
}

/** See organizationQuery. */
export function useOrganization(orgId: string) {
  return useQuery(organizationQuery(orgId))
}

/** Creates an organization owned by the current user and adds it to their memberships. */
export function useCreateOrganization() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: OrganizationCreate) => unwrap(api.POST('/api/v1/orgs', { body })),
    onSuccess: async (organization) => {
      queryClient.setQueryData(['orgs', organization.id], organization)
      // Refetch rather than guess: the new membership's effective permissions come from the server.
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey })
    },
  })
}
