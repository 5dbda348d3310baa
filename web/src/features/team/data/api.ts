import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { InvitationCreate, PermissionOverride } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'
import type { AssignableRole } from './schema'

/** Query keys: an org's team data sits under `all`, so one invalidation refreshes members, invitations and roles. */
export const teamKeys = {
  all: (orgId: string) => ['orgs', orgId, 'team'] as const,
  members: (orgId: string) => [...teamKeys.all(orgId), 'members'] as const,
  invitations: (orgId: string) => [...teamKeys.all(orgId), 'invitations'] as const,
  roles: (orgId: string) => [...teamKeys.all(orgId), 'roles'] as const,
  permissions: (orgId: string, memberId: string) => [...teamKeys.all(orgId), 'permissions', memberId] as const,
}

/** Every member of the organization. */
export function useMembers(orgId: string) {
  return useQuery({
    queryKey: teamKeys.members(orgId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/members', { params: { path: { org_id: orgId } }, signal })),
  })
}

/** Refreshes the team and /me (a change may touch the signed-in user's own permissions). */
function useInvalidateTeam(orgId: string) {
  const queryClient = useQueryClient()
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: teamKeys.all(orgId) }),
      queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
    ])
}

/** Gives a member another role. */
export function useChangeRole(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: ({ memberId, role }: { memberId: string; role: AssignableRole }) =>
      unwrap(
        api.PUT('/api/v1/orgs/{org_id}/members/{member_id}/role', {
          params: { path: { org_id: orgId, member_id: memberId } },
          body: { role },
        }),
      ),
    onSettled: invalidate,
  })
}

/** Suspends or reactivates a member. */
export function useChangeStatus(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: ({ memberId, status }: { memberId: string; status: 'active' | 'suspended' }) =>
      unwrap(
        api.PUT('/api/v1/orgs/{org_id}/members/{member_id}/status', {
          params: { path: { org_id: orgId, member_id: memberId } },
          body: { status },
        }),
      ),
    onSettled: invalidate,
  })
}

/** Removes a member from the organization. */
export function useRemoveMember(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: (memberId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/members/{member_id}', { params: { path: { org_id: orgId, member_id: memberId } } })),
    onSettled: invalidate,
  })
}

/** Pending invitations, newest first. */
export function useInvitations(orgId: string) {
  return useQuery({
    queryKey: teamKeys.invitations(orgId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/invitations', { params: { path: { org_id: orgId } }, signal })),
  })
}

/** Invites an address with a role. */
export function useCreateInvitation(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: (body: InvitationCreate) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/invitations', { params: { path: { org_id: orgId } }, body })),
    onSuccess: invalidate,
  })
}

/** Withdraws a pending invitation. */
export function useRevokeInvitation(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: (invitationId: string) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/invitations/{invitation_id}', {
          params: { path: { org_id: orgId, invitation_id: invitationId } },
        }),
      ),
    onSettled: invalidate,
  })
}

/** Emails a pending invitation again with a new link. */
export function useResendInvitation(orgId: string) {
  return useMutation({
    mutationFn: (invitationId: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/invitations/{invitation_id}/resend', {
          params: { path: { org_id: orgId, invitation_id: invitationId } },
        }),
      ),
  })
}

/** The permission catalogue and each role's set. */
export function useRoles(orgId: string) {
  return useQuery({
    queryKey: teamKeys.roles(orgId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/roles', { params: { path: { org_id: orgId } }, signal })),
  })
}

/** Replaces one role's permissions. */
export function useUpdateRole(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: ({ role, permissions }: { role: AssignableRole; permissions: string[] }) =>
      unwrap(api.PUT('/api/v1/orgs/{org_id}/roles/{role}', { params: { path: { org_id: orgId, role } }, body: { permissions } })),
    onSuccess: invalidate,
  })
}

/** A member's overrides and effective permissions. */
export function useMemberPermissions(orgId: string, memberId: string, enabled: boolean) {
  return useQuery({
    queryKey: teamKeys.permissions(orgId, memberId),
    enabled,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/members/{member_id}/permissions', {
          params: { path: { org_id: orgId, member_id: memberId } },
          signal,
        }),
      ),
  })
}

/** Replaces a member's overrides. */
export function useUpdateMemberPermissions(orgId: string) {
  const invalidate = useInvalidateTeam(orgId)
  return useMutation({
    mutationFn: ({ memberId, overrides }: { memberId: string; overrides: PermissionOverride[] }) =>
      unwrap(
        api.PUT('/api/v1/orgs/{org_id}/members/{member_id}/permissions', {
          params: { path: { org_id: orgId, member_id: memberId } },
          body: { overrides },
        }),
      ),
    onSuccess: invalidate,
  })
}
