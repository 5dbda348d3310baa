import { useQuery } from '@tanstack/react-query'
import { PlusIcon } from 'lucide-react'
import { useMemo, useState } from 'react'
import { useParams } from 'react-router'
import { api, unwrap } from '@/api/client'
import { CursorPager, ListLoadError, PageHeader } from '@/components/list-page'
import { NoAccess } from '@/components/no-access'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { gatedProps, RoleHint, usePermissionGate } from '@/components/permission-gate'
import { currentCursor } from '@/lib/cursor-pagination'
import { useCursorPages, useUrlFilters } from '@/lib/list-state'
import { NativeSelect } from '@/components/ui/native-select'
import { useTitle } from '@/lib/use-title'
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
  useTitle('Projects')
  const { orgId = '' } = useParams()
  const { params, setFilter } = useUrlFilters()
  const q = params.get('q') ?? ''
  const status = parseProjectStatus(params.get('status'))
  const clientId = params.get('client_id') ?? undefined
  const archived = params.get('archived') === 'true'
  const [creating, setCreating] = useState(false)
  const permissions = useOrgPermissions(orgId)
  const writeGate = usePermissionGate(orgId, 'projects.write', 'create and edit projects')
  const clientNames = useClientNames(orgId, permissions.can('clients.read'))

  const { pages, goTo } = useCursorPages(`${orgId}\n${q}\n${status ?? ''}\n${clientId ?? ''}\n${archived}`)
  const projects = useProjects(orgId, { q, status, clientId, archived, cursor: currentCursor(pages) })
  const rows = projects.data?.data ?? []

  if (permissions.loaded && !permissions.can('projects.read')) return <NoAccess what="this organization's projects" />

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title="Projects"
        description="The work your agency is doing, and for whom."
        action={
          <div className="flex flex-col items-end gap-1">
            <Button onClick={() => setCreating(true)} {...gatedProps(writeGate)}>
              <PlusIcon aria-hidden="true" />
              New project
            </Button>
            <RoleHint gate={writeGate} />
          </div>
        }
      />

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
            <ListLoadError what="projects" error={projects.error} onRetry={() => void projects.refetch()} />
          ) : rows.length === 0 ? (
            <p className="p-8 text-center text-sm text-muted-foreground">
              {q || status || clientId || archived ? 'No projects match these filters.' : 'No projects yet.'}
            </p>
          ) : (
            <ProjectsTable orgId={orgId} projects={rows} clientNames={clientNames} stale={projects.isPlaceholderData} />
          )}
        </div>

        <CursorPager pages={pages} nextCursor={projects.data?.next_cursor} stale={projects.isPlaceholderData} onGo={goTo} />
      </section>

      <ProjectFormDialog orgId={orgId} open={creating} onOpenChange={setCreating} />
    </div>
  )
}
