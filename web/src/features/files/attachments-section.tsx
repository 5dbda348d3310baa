import { useOrgPermissions } from '@/features/auth/data/permissions'
import { addTaskDrawerSection } from '@/features/tasks/components/drawer-sections'
import { FileList } from './components/file-list'
import { FileUpload } from './components/file-upload'

/** A task's attachments: list, download, delete and (with files.write) upload. Self-contained for the task drawer. */
export function AttachmentsSection({ orgId, projectId, taskId }: { orgId: string; projectId: string; taskId: string }) {
  const { can } = useOrgPermissions(orgId)
  if (!can('files.read')) return null
  return (
    <section aria-labelledby={`attachments-${taskId}`} className="space-y-3">
      <h3 id={`attachments-${taskId}`} className="text-sm font-semibold">
        Attachments
      </h3>
      {can('files.write') && <FileUpload orgId={orgId} projectId={projectId} taskId={taskId} />}
      <FileList orgId={orgId} projectId={projectId} taskId={taskId} />
    </section>
  )
}

addTaskDrawerSection({ id: 'attachments', Component: AttachmentsSection })
