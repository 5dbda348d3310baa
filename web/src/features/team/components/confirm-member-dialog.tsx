import { Loader2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Member } from '@/api/types'
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
import { useChangeStatus, useRemoveMember } from '../data/api'

/** What the confirmation is about. */
export type MemberAction = 'suspend' | 'reactivate' | 'remove'

const copy: Record<MemberAction, { title: (name: string) => string; body: string; confirm: string; done: (name: string) => string }> = {
  suspend: {
    title: (name) => `Suspend ${name}?`,
    body: "They can't open this organization until you reactivate them. Their work stays where it is.",
    confirm: 'Suspend',
    done: (name) => `${name} suspended`,
  },
  reactivate: {
    title: (name) => `Reactivate ${name}?`,
    body: 'They get their access back with the same role.',
    confirm: 'Reactivate',
    done: (name) => `${name} reactivated`,
  },
  remove: {
    title: (name) => `Remove ${name}?`,
    body: 'They lose access to this organization. To bring them back, invite them again.',
    confirm: 'Remove',
    done: (name) => `${name} removed`,
  },
}

/** Asks before suspending, reactivating or removing a member. */
export function ConfirmMemberDialog({
  orgId,
  member,
  action,
  onClose,
}: {
  orgId: string
  member?: Member
  action?: MemberAction
  onClose: () => void
}) {
  const status = useChangeStatus(orgId)
  const remove = useRemoveMember(orgId)
  const pending = status.isPending || remove.isPending
  const text = action ? copy[action] : undefined

  const confirm = async () => {
    if (!member || !action || !text) return
    try {
      if (action === 'remove') await remove.mutateAsync(member.id)
      else await status.mutateAsync({ memberId: member.id, status: action === 'suspend' ? 'suspended' : 'active' })
      toast.success(text.done(member.name))
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error(`Couldn't ${action} ${member.name}`, { description: error.detail })
      else return
    }
    onClose()
  }

  return (
    <AlertDialog open={member !== undefined && action !== undefined} onOpenChange={(open) => !open && !pending && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{text?.title(member?.name ?? '')}</AlertDialogTitle>
          <AlertDialogDescription>{text?.body}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={pending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          <Button variant={action === 'reactivate' ? 'default' : 'destructive'} disabled={pending} onClick={() => void confirm()}>
            {pending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
            {text?.confirm}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
