import { Loader2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Client } from '@/api/types'
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

  const confirm = async () => {
    if (!client) return
    try {
      await remove.mutateAsync(client.id)
      toast.success(`${client.name} deleted`)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) toast.info(`${client.name} was already deleted`)
      else if (error instanceof ApiError && !error.isServerError) toast.error(`Couldn't delete ${client.name}`, { description: error.detail })
      else return
    }
    onOpenChange(false)
  }

  return (
    <AlertDialog open={open} onOpenChange={(next) => !remove.isPending && onOpenChange(next)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete {client?.name}?</AlertDialogTitle>
          <AlertDialogDescription>
            This permanently deletes the client and can't be undone. To keep their history, set their status to Archived instead.
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
