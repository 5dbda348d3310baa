/**
 * Where a portal page is: the organization, and the client a staff member previews (undefined for a
 * contact, whose client the server knows from the session).
 */
export interface PortalScope {
  orgId: string
  previewClientId?: string
}

/** The portal's API base for an organization. */
export function portalApiBase(orgId: string): string {
  return `/api/v1/orgs/${encodeURIComponent(orgId)}/portal`
}

/** An API URL under the portal: `client_id` is added when previewing, after the path's own query. */
export function portalApiUrl(scope: PortalScope, path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value)
  if (scope.previewClientId) params.set('client_id', scope.previewClientId)
  const search = params.toString()
  return `${portalApiBase(scope.orgId)}${path}${search ? `?${search}` : ''}`
}

/**
 * A portal page's path: `/client-portal/{org}` plus `sub`, keeping `?preview=` while a staff member previews,
 * so every link of the previewed portal stays in the preview.
 */
export function portalPath(scope: PortalScope, sub = ''): string {
  const trimmed = sub.replace(/^\/+/, '')
  const base = `/client-portal/${scope.orgId}${trimmed ? `/${trimmed}` : ''}`
  return scope.previewClientId ? `${base}?${new URLSearchParams({ preview: scope.previewClientId })}` : base
}
