/** What the access decisions need of a membership (the /me answer's memberships). */
export interface MembershipLike {
  organization: { id: string }
  role: string
  client_id?: string | null
}

/** Whether a membership is a client contact's (role client, linked to one client). */
export function isContact(m: MembershipLike): boolean {
  return m.role === 'client' || Boolean(m.client_id)
}

/**
 * Who may open /client-portal/:orgId and as what:
 * - contact: a client contact of the organization (a ?preview= is ignored: contacts see only their client);
 * - preview: a staff member previewing the portal as the client in ?preview=;
 * - workspace: a staff member without ?preview= goes back to the workspace;
 * - none: not a member of the organization (not found).
 */
export type PortalAccess =
  | { kind: 'contact' }
  | { kind: 'preview'; clientId: string }
  | { kind: 'workspace'; path: string }
  | { kind: 'none' }

/** Decides how /client-portal/:orgId opens for the signed-in user. */
export function portalAccess(memberships: MembershipLike[], orgId: string, preview: string | null): PortalAccess {
  const membership = memberships.find((m) => m.organization.id === orgId)
  if (!membership) return { kind: 'none' }
  if (isContact(membership)) return { kind: 'contact' }
  const clientId = preview?.trim() ?? ''
  if (/^[0-9a-f-]{36}$/i.test(clientId)) return { kind: 'preview', clientId }
  return { kind: 'workspace', path: `/orgs/${orgId}` }
}

/**
 * Where a client contact opening the staff workspace at `pathname` (/orgs/:orgId/…) goes instead: the
 * portal's own page for what the portal has too (the notification inbox), else the portal's summary; null
 * for staff (and for organizations the user is not in).
 */
export function contactRedirect(memberships: MembershipLike[], orgId: string, pathname = ''): string | null {
  const membership = memberships.find((m) => m.organization.id === orgId)
  if (!membership || !isContact(membership)) return null
  const portal = `/client-portal/${orgId}`
  return pathname === `/orgs/${orgId}/notifications` ? `${portal}/notifications` : portal
}
