import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useParams } from 'react-router'
import { organizationQuery } from '@/features/organizations/data/api'
import { projectQuery } from '@/features/projects/data/api'

/** The app's name, last in every title. */
export const appTitle = 'ClientFlow'

/**
 * The tab's title from the page's name and where it sits: "Board · Website relaunch · ClientFlow" in a
 * project, "Clients · Acme · ClientFlow" in an organization, "Sign in · ClientFlow" outside one.
 */
export function documentTitle(page: string | undefined, where: { project?: string; org?: string }): string {
  return [page, where.project ?? where.org, appTitle].filter(Boolean).join(' · ')
}

/**
 * Sets document.title while the page is shown, naming the project or organization in the URL. Their names
 * come from the cache the layouts fill (OrgBoundary loads the organization, ProjectLayout the project): this
 * hook never sends a request of its own. Pass undefined while the page's own name (a client's, an invoice's)
 * is loading.
 */
export function useTitle(page: string | undefined) {
  const { orgId = '', projectId = '' } = useParams()
  const org = useQuery({ ...organizationQuery(orgId), enabled: false })
  // Disabled observers with the queries' own fetchers: an observer without one (skipToken) would leave the
  // cached query without a fetcher, and its next invalidation would fail with "Missing queryFn".
  const project = useQuery({ ...projectQuery(orgId, projectId), enabled: false })
  const title = documentTitle(page, {
    org: orgId ? org.data?.name : undefined,
    project: projectId ? project.data?.name : undefined,
  })
  useEffect(() => {
    document.title = title
  }, [title])
  useEffect(
    () => () => {
      document.title = appTitle
    },
    [],
  )
}
