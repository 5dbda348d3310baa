import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { useDeleteProject } from '../data/api'
import type { Project } from '../data/types'

/** Asks before deleting a project with its board, tasks and members. */
export function DeleteProjectDialog({
  orgId,
  project,
  open,
  onOpenChange,
  onDeleted,
}: {
  orgId: string
  project: Project
  open: boolean
  onOpenChange: (open: boolean) => void
  onDeleted: () => void
}) {
  const remove = useDeleteProject(orgId)
  return (
    <ConfirmDeleteDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete ${project.name}?`}
      description="This permanently deletes the project with its board and tasks and can't be undone. To keep its history, archive it instead."
      confirmLabel="Delete project"
      onConfirm={async () => {
        const gone = await deleteWithFeedback(() => remove.mutateAsync(project.id), {
          deleted: `${project.name} deleted`,
          gone: `${project.name} was already deleted`,
          failed: `Couldn't delete ${project.name}`,
        })
        if (gone) onDeleted()
        return gone
      }}
    />
  )
}
