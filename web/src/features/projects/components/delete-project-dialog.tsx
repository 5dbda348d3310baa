import { Loader2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog'
import { Button } from '@/components/ui/button'
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

  const confirm = async () => {
    try {
      await remove.mutateAsync(project.id)
      toast.success(`${project.name} deleted`)
    } catch (error) {
      if (!(error instanceof ApiError) || error.isServerError) return
      if (error.status !== 404) {
        toast.error(`Couldn't delete ${project.name}`, { description: error.detail })
        return
      }
    }
    onOpenChange(false)
    onDeleted()
  }

  return (
    <AlertDialog open={open} onOpenChange={(next) => !remove.isPending && onOpenChange(next)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete {project.name}?</AlertDialogTitle>
          <AlertDialogDescription>
            This permanently deletes the project with its board and tasks and can't be undone. To keep its history, archive it instead.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={remove.isPending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          <Button variant="destructive" disabled={remove.isPending} onClick={() => void confirm()}>
            {remove.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
            Delete project
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
