import { FolderKanbanIcon } from 'lucide-react'
import { usePortalProjects } from './data/api'
import { usePortalScope } from './data/context'
import { ProjectCard } from './components/parts'
import { EmptyState, PortalError, PortalLoading, PortalPageHeader } from './components/states'
import { useTitle } from '@/lib/use-title'

/** /client-portal/:orgId/projects — every project shared with the client. */
export function PortalProjectsPage() {
  useTitle('Projects')
  const scope = usePortalScope()
  const projects = usePortalProjects(scope)
  return (
    <>
      <PortalPageHeader title="Projects" description="The projects the team shares with you, with their progress." />
      {projects.isPending ? (
        <PortalLoading what="projects" />
      ) : projects.isError ? (
        <PortalError what="projects" error={projects.error} onRetry={() => void projects.refetch()} />
      ) : projects.data.data.length === 0 ? (
        <EmptyState icon={FolderKanbanIcon} title="No shared projects yet">
          When the team shares a project with you, you can follow its progress here.
        </EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {projects.data.data.map((p) => (
            <ProjectCard key={p.id} scope={scope} project={p} />
          ))}
        </ul>
      )}
    </>
  )
}
