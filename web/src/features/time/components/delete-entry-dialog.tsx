import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { useDeleteTimeEntry, type TimeEntry } from '../data/api'

/** Asks before deleting a time entry. */
export function DeleteEntryDialog({ orgId, entry, onClose }: { orgId: string; entry?: TimeEntry; onClose: () => void }) {
  const remove = useDeleteTimeEntry(orgId)
  return (
    <ConfirmDeleteDialog
      open={entry !== undefined}
      onOpenChange={(open) => !open && onClose()}
      title="Delete this time entry?"
      description={`${entry ? `${entry.project_name}${entry.note ? ` — ${entry.note}` : ''}. ` : ''}This can't be undone.`}
      onConfirm={async () =>
        !entry ||
        deleteWithFeedback(() => remove.mutateAsync(entry.id), {
          deleted: 'Time entry deleted',
          gone: 'The entry was already deleted',
          failed: "Couldn't delete the entry",
        })
      }
    />
  )
}
