import { useParams } from 'react-router'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useTitle } from '@/lib/use-title'
import { FileList } from './components/file-list'
import { FileUpload } from './components/file-upload'

/** /orgs/:orgId/projects/:projectId/files — every file of a project, task attachments included. */
export function FilesPage() {
  useTitle('Files')
  const { orgId = '', projectId = '' } = useParams()
  const { can, loaded } = useOrgPermissions(orgId)
  if (loaded && !can('files.read')) return <p className="p-6 text-sm text-muted-foreground">Your role cannot see files.</p>
  return (
    <div className="mx-auto w-full max-w-3xl space-y-4">
      <h2 className="text-lg font-semibold">Files</h2>
      {can('files.write') && <FileUpload orgId={orgId} projectId={projectId} />}
      <FileList orgId={orgId} projectId={projectId} />
    </div>
  )
}
