import type { Client } from '@/api/types'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { useDeleteClient } from '../data/api'

/** Asks before deleting a client for good. */
export function DeleteClientDialog({
  orgId,
  open,
  client,
  onOpenChange,
}: {
  orgId: string
  open: boolean
  client?: Client
  onOpenChange: (open: boolean) => void
}) {
  const remove = useDeleteClient(orgId)
  return (
    <ConfirmDeleteDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete ${client?.name ?? 'client'}?`}
      description="This permanently deletes the client and can't be undone. To keep their history, set their status to Archived instead."
      onConfirm={async () =>
        !client ||
        deleteWithFeedback(() => remove.mutateAsync(client.id), {
          deleted: `${client.name} deleted`,
          gone: `${client.name} was already deleted`,
          failed: `Couldn't delete ${client.name}`,
        })
      }
    />
  )
}
