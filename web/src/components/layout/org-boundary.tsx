import { useEffect } from 'react'
import { Outlet, useParams } from 'react-router'
import { ApiError } from '@/api/errors'
import { NotFoundPage } from '@/features/errors/not-found-page'
import { OrgBranding } from '@/features/org-settings/components/org-branding'
import { useOrganization } from '@/features/organizations/data/api'
import { rememberOrg } from '@/lib/last-org'
import { orgAccessBlockFrom, useOrgAccessBlock } from '@/lib/org-access-block'
import { OrgAccessBlocked } from './org-access-blocked'

/**
 * Checks the organization in the URL. The page renders at once (with its own
 * skeletons); if the API says the organization isn't there for this user, a
 * not-found page replaces it. Malformed IDs (400/422) are not found either. (Client contacts never get
 * here: ContactGate sends them to their portal.) An organization that refuses this session (SSO required,
 * IP not allowed), as any of its requests may find, shows why instead of the page.
 */
export function OrgBoundary() {
  const { orgId = '' } = useParams()
  const organization = useOrganization(orgId)
  const reported = useOrgAccessBlock(orgId)

  useEffect(() => {
    if (organization.data) rememberOrg(organization.data.id)
  }, [organization.data])

  const error = organization.error
  const block = reported ?? orgAccessBlockFrom(error, `/orgs/${orgId}`)
  if (block) return <OrgAccessBlocked block={block} />
  if (error instanceof ApiError && [400, 403, 404, 422].includes(error.status)) {
    return <NotFoundPage embedded title="Organization not found" message="It doesn't exist, or you're not a member of it." />
  }
  return (
    <>
      {organization.data && <OrgBranding orgId={organization.data.id} />}
      <Outlet />
    </>
  )
}
