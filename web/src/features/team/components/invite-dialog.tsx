import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { Controller, useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useCreateInvitation } from '../data/api'
import { inviteSchema, type InviteInput, type InviteValues } from '../data/schema'
import { RoleSelect } from './role-select'

/** "Invite someone": an address and a role; the invitee gets an email with a 7-day link. */
export function InviteDialog({ orgId, open, onOpenChange }: { orgId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite someone</DialogTitle>
          <DialogDescription>They get an email with a link that works for 7 days.</DialogDescription>
        </DialogHeader>
        {open && <InviteForm orgId={orgId} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  )
}

function InviteForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const invite = useCreateInvitation(orgId)
  const form = useForm<InviteInput, unknown, InviteValues>({
    resolver: zodResolver(inviteSchema),
    defaultValues: { email: '', role: 'member' },
  })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await invite.mutateAsync(values)
      toast.success(`Invitation sent to ${values.email}`)
      onDone()
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        form.setError('email', { type: 'server', message: error.detail }, { shouldFocus: true })
      } else {
        showApiErrorOnForm(error, form.setError, ['email', 'role'])
      }
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <FormField label="Email" error={errors.email?.message} required>
        <Input type="email" autoComplete="off" autoFocus {...form.register('email')} />
      </FormField>
      <Controller
        control={form.control}
        name="role"
        render={({ field }) => (
          <FormField label="Role" error={errors.role?.message}>
            <RoleSelect value={field.value} onChange={field.onChange} />
          </FormField>
        )}
      />
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Send invitation
        </Button>
      </DialogFooter>
    </form>
  )
}
