import { useQuery } from '@tanstack/react-query'
import { AlertCircleIcon, ChevronLeftIcon, ChevronRightIcon, PlusIcon } from 'lucide-react'
import { useMemo, useState } from 'react'
import { useParams, useSearchParams } from 'react-router'
import { api, unwrap } from '@/api/client'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage, type CursorPages } from '@/lib/cursor-pagination'
import { NativeSelect } from './components/native-select'
import { ProjectFormDialog } from './components/project-form-dialog'
import { ProjectsTable, ProjectsTableSkeleton } from './components/projects-table'
import { useProjects } from './data/api'
import { parseProjectStatus, projectStatuses, projectStatusLabels } from './data/schema'

function useClientNames(orgId: string, enabled: boolean) {
  const clients = useQuery({
    queryKey: ['orgs', orgId, 'clients', 'options'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/clients', { params: { path: { org_id: orgId }, query: { limit: 200 } }, signal })),
    enabled,
  })
  return useMemo(() => new Map((clients.data?.data ?? []).map((c) => [c.id, c.name])), [clients.data])
}

/** /orgs/:orgId/projects — filters (?q=, ?status=, ?client_id=, ?archived=true) live in the URL. */
export function ProjectsPage() {
  const { orgId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const status = parseProjectStatus(params.get('status'))
  const clientId = params.get('client_id') ?? undefined
  const archived = params.get('archived') === 'true'
  const [creating, setCreating] = useState(false)
  const permissions = useOrgPermissions(orgId)
  const clientNames = useClientNames(orgId, permissions.can('clients.read'))

  const filterKey = `${orgId}\n${q}\n${status ?? ''}\n${clientId ?? ''}\n${archived}`
  const [paging, setPaging] = useState({ filterKey, pages: firstPage() })
  const pages = paging.filterKey === filterKey ? paging.pages : firstPage()
  const goTo = (next: CursorPages) => setPaging({ filterKey, pages: next })
  const projects = useProjects(orgId, { q, status, clientId, archived, cursor: currentCursor(pages) })
  const rows = projects.data?.data ?? []

  const setFilter = (name: string, value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        if (value) next.set(name, value)
        else next.delete(name)
        return next
      },
      { replace: true },
    )

  if (permissions.loaded && !permissions.can('projects.read')) return <NoAccess what="this organization's projects" />

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
          <p className="text-sm text-muted-foreground">The work your agency is doing, and for whom.</p>
        </div>
        {permissions.can('projects.write') && (
          <Button onClick={() => setCreating(true)}>
            <PlusIcon aria-hidden="true" />
            New project
          </Button>
        )}
      </div>

      <section aria-label="Project list" className="flex flex-col gap-4">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
          <Input
            type="search"
            aria-label="Search projects"
            placeholder="Search by name"
            defaultValue={q}
            className="sm:max-w-xs"
            onChange={(event) => setFilter('q', event.target.value.trim() || undefined)}
          />
          <NativeSelect aria-label="Filter by status" className="sm:w-40" value={status ?? ''} onChange={(e) => setFilter('status', e.target.value || undefined)}>
            <option value="">All statuses</option>
            {projectStatuses.map((s) => (
              <option key={s} value={s}>
                {projectStatusLabels[s]}
              </option>
            ))}
          </NativeSelect>
          {clientNames.size > 0 && (
            <NativeSelect aria-label="Filter by client" className="sm:w-48" value={clientId ?? ''} onChange={(e) => setFilter('client_id', e.target.value || undefined)}>
              <option value="">All clients</option>
              {[...clientNames].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </NativeSelect>
          )}
          <NativeSelect aria-label="Active or archived" className="sm:w-36" value={archived ? 'true' : ''} onChange={(e) => setFilter('archived', e.target.value || undefined)}>
            <option value="">Active</option>
            <option value="true">Archived</option>
          </NativeSelect>
        </div>

        <div className="overflow-hidden rounded-lg border bg-card">
          {projects.isPending ? (
            <ProjectsTableSkeleton />
          ) : projects.isError && !projects.data ? (
            <div className="p-4">
              <Alert variant="destructive">
                <AlertCircleIcon />
                <AlertTitle>Couldn't load projects</AlertTitle>
                <AlertDescription>
                  <p>{projects.error.message}</p>
                  <Button variant="outline" size="sm" className="mt-3" onClick={() => void projects.refetch()}>
                    Try again
                  </Button>
                </AlertDescription>
              </Alert>
            </div>
          ) : rows.length === 0 ? (
            <p className="p-8 text-center text-sm text-muted-foreground">
              {q || status || clientId || archived ? 'No projects match these filters.' : 'No projects yet.'}
            </p>
          ) : (
            <ProjectsTable orgId={orgId} projects={rows} clientNames={clientNames} stale={projects.isPlaceholderData} />
          )}
        </div>

        {(hasPrevious(pages) || projects.data?.next_cursor) && (
          <nav aria-label="Pagination" className="flex items-center justify-between gap-2">
            <p className="text-sm text-muted-foreground">Page {pageNumber(pages)}</p>
            <div className="flex gap-2">
              <Button variant="outline" size="sm" disabled={!hasPrevious(pages)} onClick={() => goTo(previousPage(pages))}>
                <ChevronLeftIcon aria-hidden="true" />
                Previous
              </Button>
              <Button
                variant="outline"
                size="sm"
                disabled={!projects.data?.next_cursor || projects.isPlaceholderData}
                onClick={() => goTo(nextPage(pages, projects.data?.next_cursor))}
              >
                Next
                <ChevronRightIcon aria-hidden="true" />
              </Button>
            </div>
          </nav>
        )}
      </section>

      <ProjectFormDialog orgId={orgId} open={creating} onOpenChange={setCreating} />
    </div>
  )
}
