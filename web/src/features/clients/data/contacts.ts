import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { components } from '@/api/schema'
import type { Invitation } from '@/api/types'

/** A person who signs in to the client portal for one client. */
export type ClientContact = components['schemas']['ClientContact']

/** A client's contacts and the invitations still waiting for an answer. */
export type ClientContacts = components['schemas']['ClientContactList']

/** Query keys of a client's portal data; under the org's client keys, so a client change refreshes them. */
export const contactKeys = {
  list: (orgId: string, clientId: string) => ['orgs', orgId, 'clients', clientId, 'contacts'] as const,
}

/** A client's contacts and pending invitations; off while `enabled` is false (no plan feature). */
export function useClientContacts(orgId: string, clientId: string, enabled = true) {
  return useQuery({
    queryKey: contactKeys.list(orgId, clientId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/clients/{client_id}/contacts', { params: { path: { org_id: orgId, client_id: clientId } }, signal })),
    enabled,
  })
}

/** The pending invitations of a contacts answer (accepted, revoked and expired ones are history). */
export function pendingInvitations(contacts: ClientContacts | undefined): Invitation[] {
  return (contacts?.invitations ?? []).filter((i) => i.status === 'pending')
}

/** Invites an email as a contact of the client; 409 when it is staff or another client's contact. */
export function useInviteContact(orgId: string, clientId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/clients/{client_id}/contacts', { params: { path: { org_id: orgId, client_id: clientId } }, body: { email } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'clients'] }),
  })
}

/** Removes a contact's membership: they can no longer sign in to the portal. */
export function useRemoveContact(orgId: string, clientId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/clients/{client_id}/contacts/{user_id}', {
          params: { path: { org_id: orgId, client_id: clientId, user_id: userId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'clients'] }),
  })
}

/** Revokes or resends a contact invitation through the organization's invitation routes. */
export function useContactInvitationActions(orgId: string, clientId: string) {
  const queryClient = useQueryClient()
  const onSettled = () => queryClient.invalidateQueries({ queryKey: contactKeys.list(orgId, clientId) })
  const path = (invitationId: string) => ({ path: { org_id: orgId, invitation_id: invitationId } })
  return {
    resend: useMutation({
      mutationFn: (invitationId: string) =>
        unwrap(api.POST('/api/v1/orgs/{org_id}/invitations/{invitation_id}/resend', { params: path(invitationId) })),
      onSettled,
    }),
    revoke: useMutation({
      mutationFn: (invitationId: string) => unwrap(api.DELETE('/api/v1/orgs/{org_id}/invitations/{invitation_id}', { params: path(invitationId) })),
      onSettled,
    }),
  }
}

/** Turns the client's portal on or off; turning it on emails the contacts once. */
export function useSetPortalEnabled(orgId: string, clientId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (enabled: boolean) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/clients/{client_id}', {
          params: { path: { org_id: orgId, client_id: clientId } },
          body: { portal_enabled: enabled },
        }),
      ),
    // The client page reads the client from the projects feature's overview query.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'clients'] }),
        queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'projects', 'client', clientId] }),
      ]),
  })
}

/** The message for a refused contact invitation: a clear sentence for the 409, the field error for a 422. */
export function inviteErrorMessage(error: unknown, email: string): string {
  if (!(error instanceof ApiError)) return "Couldn't send the invitation."
  if (error.status === 409)
    return `${email} is already a member of this organization, as staff or as another client's contact. Use a different address.`
  return error.fieldErrors.email ?? error.detail
}
