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
import { useDeleteTimeEntry, type TimeEntry } from '../data/api'

/** Asks before deleting a time entry. */
export function DeleteEntryDialog({ orgId, entry, onClose }: { orgId: string; entry?: TimeEntry; onClose: () => void }) {
  const remove = useDeleteTimeEntry(orgId)
  const confirm = async () => {
    if (!entry) return
    try {
      await remove.mutateAsync(entry.id)
      toast.success('Time entry deleted')
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) toast.info('The entry was already deleted')
      else if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't delete the entry", { description: error.detail })
      else return
    }
    onClose()
  }
  return (
    <AlertDialog open={entry !== undefined} onOpenChange={(open) => !open && !remove.isPending && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete this time entry?</AlertDialogTitle>
          <AlertDialogDescription>
            {entry ? `${entry.project_name}${entry.note ? ` — ${entry.note}` : ''}. ` : ''}This can't be undone.
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
            Delete
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
