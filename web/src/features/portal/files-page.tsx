import { FileTextIcon } from 'lucide-react'
import { useSearchParams } from 'react-router'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { useTitle } from '@/lib/use-title'
import { usePortalFiles, usePortalProjects } from './data/api'
import { usePortalScope } from './data/context'
import { FileList } from './components/parts'
import { EmptyState, PortalError, PortalLoading, PortalPageHeader } from './components/states'

/** /client-portal/:orgId/files — every file shared with the client, optionally of one project. */
export function PortalFilesPage() {
  useTitle('Files')
  const scope = usePortalScope()
  const [params, setParams] = useSearchParams()
  const projectId = params.get('project') ?? undefined
  const projects = usePortalProjects(scope)
  const files = usePortalFiles(scope, projectId)

  const chooseProject = (id: string) => {
    const next = new URLSearchParams(params)
    if (id) next.set('project', id)
    else next.delete('project')
    setParams(next, { replace: true })
  }

  return (
    <>
      <PortalPageHeader title="Files" description="Files the team shares with you. Download them any time." />
      {(projects.data?.data.length ?? 0) > 1 && (
        <div className="grid max-w-xs gap-2">
          <Label htmlFor="portal-files-project">Project</Label>
          <NativeSelect id="portal-files-project" value={projectId ?? ''} onChange={(e) => chooseProject(e.target.value)}>
            <option value="">All projects</option>
            {projects.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      )}
      {files.isPending ? (
        <PortalLoading what="files" />
      ) : files.isError ? (
        <PortalError what="files" error={files.error} onRetry={() => void files.refetch()} />
      ) : files.data.data.length === 0 ? (
        <EmptyState icon={FileTextIcon} title={projectId ? 'No shared files in this project' : 'No shared files yet'}>
          When the team shares a file with you, it appears here and you get an email.
        </EmptyState>
      ) : (
        <FileList scope={scope} files={files.data.data} showProject={!projectId} />
      )}
    </>
  )
}
