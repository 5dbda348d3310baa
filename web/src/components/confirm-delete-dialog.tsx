import { Loader2Icon } from 'lucide-react'
import { useState, type ReactNode } from 'react'
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

/** What the user reads after a delete: on success, when it was already gone, and when it was refused. */
export interface DeleteMessages {
  deleted: string
  gone: string
  failed: string
}

/**
 * Runs a delete and tells the user how it went. Resolves true when the thing is gone (deleted now, or
 * already deleted by someone else: a 404), false when it is still there — a refusal is shown as a toast
 * with the server's reason; a server error is left to the global error handler.
 */
export async function deleteWithFeedback(remove: () => Promise<unknown>, messages: DeleteMessages): Promise<boolean> {
  try {
    await remove()
    toast.success(messages.deleted)
    return true
  } catch (error) {
    if (!(error instanceof ApiError) || error.isServerError) return false
    if (error.status === 404) {
      toast.info(messages.gone)
      return true
    }
    toast.error(messages.failed, { description: error.detail })
    return false
  }
}

/** Asks before a permanent delete; stays open (and busy) until the delete finishes, closes when it is gone. */
export function ConfirmDeleteDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel = 'Delete',
  onConfirm,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: ReactNode
  description: ReactNode
  confirmLabel?: string
  /** Resolves true when the dialog may close (see deleteWithFeedback). */
  onConfirm: () => Promise<boolean>
}) {
  const [pending, setPending] = useState(false)
  const confirm = async () => {
    setPending(true)
    try {
      if (await onConfirm()) onOpenChange(false)
    } finally {
      setPending(false)
    }
  }
  return (
    <AlertDialog open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={pending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          <Button variant="destructive" disabled={pending} onClick={() => void confirm()}>
            {pending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
            {confirmLabel}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
