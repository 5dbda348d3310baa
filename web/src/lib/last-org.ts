import type { Membership } from '@/api/types'

const key = 'clientflow.lastOrgId'

/** Remembers the organization the user last worked in. */
export function rememberOrg(orgId: string): void {
  try {
    localStorage.setItem(key, orgId)
  } catch {
    // Storage can be disabled (private mode); remembering is a nicety.
  }
}

function recalledOrg(): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

/** The organization to open: the remembered one if the user still belongs to it, else their first. */
export function preferredOrgId(memberships: Membership[]): string | undefined {
  const last = recalledOrg()
  const remembered = memberships.find((m) => m.organization.id === last)
  return (remembered ?? memberships[0])?.organization.id
}

/**
 * Where a signed-in user starts: onboarding without an organization, else its My work page, or its client
 * portal for a client contact (role client).
 */
export function homePath(memberships: Membership[]): string {
  const orgId = preferredOrgId(memberships)
  if (!orgId) return '/onboarding'
  const membership = memberships.find((m) => m.organization.id === orgId)
  return membership?.role === 'client' ? `/client-portal/${orgId}` : `/orgs/${orgId}/my-work`
}
