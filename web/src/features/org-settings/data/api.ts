import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { OrganizationSettingsUpdate } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'

/** An organization's settings; every member may read them (the branding applies to everyone). */
export function orgSettingsQuery(orgId: string) {
  return queryOptions({
    queryKey: ['orgs', orgId, 'settings'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/settings', { params: { path: { org_id: orgId } }, signal })),
    staleTime: 60_000,
  })
}

/** See orgSettingsQuery. */
export function useOrgSettings(orgId: string) {
  return useQuery(orgSettingsQuery(orgId))
}

/** Saves changed settings; the name and slug also live on the organization and in /me. */
export function useUpdateOrgSettings(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: OrganizationSettingsUpdate) =>
      unwrap(api.PATCH('/api/v1/orgs/{org_id}/settings', { params: { path: { org_id: orgId } }, body })),
    onSuccess: async (settings) => {
      queryClient.setQueryData(orgSettingsQuery(orgId).queryKey, settings)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['orgs', orgId], exact: true }),
        queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
      ])
    },
  })
}

/** Hands the organization to another member; the caller becomes an admin, so permissions are refetched. */
export function useTransferOwnership(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (memberId: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/transfer-ownership', {
          params: { path: { org_id: orgId } },
          body: { member_id: memberId },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['orgs', orgId] })
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey })
    },
  })
}

/** Deletes the organization (its data goes in the background); the caller then leaves it. */
export function useDeleteOrganization(orgId: string) {
  return useMutation({
    mutationFn: (confirmName: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}', { params: { path: { org_id: orgId } }, body: { confirm_name: confirmName } })),
  })
}

/** The active members other than the owner: who ownership can go to. */
export function useTransferCandidates(orgId: string, ownerUserId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'members'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/members', { params: { path: { org_id: orgId } }, signal })),
    select: (list) => list.data.filter((m) => m.status === 'active' && m.user_id !== ownerUserId),
  })
}
