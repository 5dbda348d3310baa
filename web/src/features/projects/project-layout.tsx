import { AlertCircleIcon, ArchiveIcon, ArchiveRestoreIcon, CopyIcon, PencilIcon, Trash2Icon } from 'lucide-react'
import { useEffect, useState } from 'react'
import { Link, NavLink, Outlet, useMatch, useNavigate, useOutletContext, useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { rememberProject } from '@/lib/recent-projects'
import { cn } from '@/lib/utils'
import { DeleteProjectDialog } from './components/delete-project-dialog'
import { ProjectFormDialog } from './components/project-form-dialog'
import { ProjectStatusBadge } from './components/project-status-badge'
import { SaveAsTemplateDialog } from './components/save-as-template-dialog'
import { useArchiveProject, useProject } from './data/api'
import type { Project } from './data/types'

/** What the project's tab pages receive from the layout. */
export interface ProjectOutletContext {
  orgId: string
  project: Project
}

/** The project the tab pages render, from the layout's outlet context. */
export function useProjectContext() {
  return useOutletContext<ProjectOutletContext>()
}

/** The tabs; board and list are the tasks feature's pages, files the files feature's. */
const tabs = [
  { label: 'Overview', to: '', end: true },
  { label: 'Board', to: 'board', end: false },
  { label: 'List', to: 'list', end: false },
  { label: 'Files', to: 'files', end: false },
  { label: 'Members', to: 'members', end: false },
]

/** /orgs/:orgId/projects/:projectId — the header with actions, the tab bar, and the active tab. */
export function ProjectLayout() {
  const { orgId = '', projectId = '' } = useParams()
  const project = useProject(orgId, projectId)

  if (project.isPending) {
    return (
      <div className="mx-auto grid w-full max-w-7xl gap-4 p-4 sm:p-6 lg:p-8" aria-busy="true" aria-label="Loading project">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    )
  }
  if (project.isError) {
    const missing = project.error instanceof ApiError && project.error.status === 404
    return (
      <div className="mx-auto w-full max-w-3xl p-4 sm:p-6 lg:p-8">
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>{missing ? 'Project not found' : "Couldn't load the project"}</AlertTitle>
          <AlertDescription>
            <p>{missing ? 'It may have been deleted, or you are not on it.' : project.error.message}</p>
            <Button asChild variant="outline" size="sm" className="mt-3">
              <Link to={`/orgs/${orgId}/projects`}>Back to projects</Link>
            </Button>
          </AlertDescription>
        </Alert>
      </div>
    )
  }
  return <ProjectFrame orgId={orgId} project={project.data} />
}

function ProjectFrame({ orgId, project }: { orgId: string; project: Project }) {
  const navigate = useNavigate()
  const permissions = useOrgPermissions(orgId)
  const archive = useArchiveProject(orgId)
  const [dialog, setDialog] = useState<'edit' | 'template' | 'delete' | null>(null)
  const canWrite = permissions.can('projects.write')
  // The home page lists the projects opened lately.
  useEffect(() => rememberProject(orgId, { id: project.id, name: project.name }), [orgId, project.id, project.name])
  // The board fills the window below the header and tabs, full width: its columns scroll on their own.
  const onBoard = useMatch('/orgs/:orgId/projects/:projectId/board') !== null

  const toggleArchive = async () => {
    try {
      await archive.mutateAsync({ projectId: project.id, archived: !project.archived })
      toast.success(project.archived ? `${project.name} restored` : `${project.name} archived`)
    } catch (error) {
      toast.error(error instanceof ApiError ? error.detail : 'Something went wrong.')
    }
  }

  return (
    <div className={onBoard ? 'flex w-full flex-col gap-3 px-4 pt-4 sm:h-full sm:min-h-0 sm:px-6 sm:pt-6' : 'mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8'}>
      <header className="flex shrink-0 flex-wrap items-start justify-between gap-4">
        <div className="grid gap-2">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{project.name}</h1>
            <ProjectStatusBadge status={project.status} />
            {project.archived && <span className="rounded bg-muted px-2 py-0.5 text-xs font-medium text-muted-foreground">Archived</span>}
          </div>
          <Link to={`/orgs/${orgId}/projects`} className="text-sm text-muted-foreground hover:underline">
            All projects
          </Link>
        </div>
        {canWrite && (
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" onClick={() => setDialog('edit')}>
              <PencilIcon aria-hidden="true" />
              Edit
            </Button>
            <Button variant="outline" size="sm" onClick={() => setDialog('template')}>
              <CopyIcon aria-hidden="true" />
              Save as template
            </Button>
            <Button variant="outline" size="sm" disabled={archive.isPending} onClick={() => void toggleArchive()}>
              {project.archived ? <ArchiveRestoreIcon aria-hidden="true" /> : <ArchiveIcon aria-hidden="true" />}
              {project.archived ? 'Unarchive' : 'Archive'}
            </Button>
            {permissions.can('projects.delete') && (
              <Button variant="outline" size="sm" onClick={() => setDialog('delete')}>
                <Trash2Icon aria-hidden="true" />
                Delete
              </Button>
            )}
          </div>
        )}
      </header>

      <nav aria-label="Project sections" className="flex shrink-0 gap-1 overflow-x-auto border-b">
        {tabs.map((tab) => (
          <NavLink
            key={tab.label}
            to={tab.to}
            end={tab.end}
            className={({ isActive }) =>
              cn(
                '-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground',
                isActive && 'border-primary text-foreground',
              )
            }
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>

      {onBoard ? (
        <div className="-mx-4 sm:-mx-6 sm:min-h-0 sm:flex-1">
          <Outlet context={{ orgId, project } satisfies ProjectOutletContext} />
        </div>
      ) : (
        <Outlet context={{ orgId, project } satisfies ProjectOutletContext} />
      )}

      <ProjectFormDialog orgId={orgId} open={dialog === 'edit'} project={project} onOpenChange={(open) => setDialog(open ? 'edit' : null)} />
      <SaveAsTemplateDialog orgId={orgId} project={project} open={dialog === 'template'} onOpenChange={(open) => setDialog(open ? 'template' : null)} />
      <DeleteProjectDialog
        orgId={orgId}
        project={project}
        open={dialog === 'delete'}
        onOpenChange={(open) => setDialog(open ? 'delete' : null)}
        onDeleted={() => void navigate(`/orgs/${orgId}/projects`)}
      />
    </div>
  )
}
