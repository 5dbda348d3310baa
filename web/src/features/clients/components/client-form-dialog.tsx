import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useRef } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Client } from '@/api/types'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { uuid } from '@/lib/uuid'
import { useCreateClient, useUpdateClient } from '../data/api'
import {
  clientFormFields,
  clientFormSchema,
  diffClient,
  toCreateBody,
  toFormInput,
  type ClientFormInput,
  type ClientFormValues,
} from '../data/schema'
import { StatusSelect } from './status-select'

/** "New client" (no `client`) or "Edit client" in a dialog. */
export function ClientFormDialog({
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
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{client ? 'Edit client' : 'New client'}</DialogTitle>
          <DialogDescription>
            {client ? `Update the details of ${client.name}.` : 'Add a company or person your agency works for. Only the name is required.'}
          </DialogDescription>
        </DialogHeader>
        <ClientForm orgId={orgId} client={client} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  )
}

function ClientForm({ orgId, client, onDone }: { orgId: string; client?: Client; onDone: () => void }) {
  const create = useCreateClient(orgId)
  const update = useUpdateClient(orgId)
  // One key per attempt: a double click replays, a corrected retry after a 4xx is a new request.
  const idempotencyKey = useRef(uuid())
  const form = useForm<ClientFormInput, unknown, ClientFormValues>({
    resolver: zodResolver(clientFormSchema),
    defaultValues: toFormInput(client),
  })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      if (client) {
        const changes = diffClient(client, values)
        if (Object.keys(changes).length > 0) {
          await update.mutateAsync({ clientId: client.id, body: changes })
          toast.success(`${values.name} updated`)
        }
      } else {
        await create.mutateAsync({ body: toCreateBody(values), idempotencyKey: idempotencyKey.current })
        toast.success(`${values.name} added`)
      }
      onDone()
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) idempotencyKey.current = uuid()
      if (error instanceof ApiError && error.status === 404 && client) {
        form.setError('root.server', { message: 'This client no longer exists. It may have been deleted by someone else.' })
        return
      }
      showApiErrorOnForm(error, form.setError, clientFormFields)
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-5">
      <FormAlert message={errors.root?.server?.message} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <FormField label="Name" required error={errors.name?.message}>
            <Input autoFocus autoComplete="off" {...form.register('name')} />
          </FormField>
        </div>
        <FormField label="Email" error={errors.email?.message}>
          <Input type="email" autoComplete="off" placeholder="name@company.com" {...form.register('email')} />
        </FormField>
        <FormField label="Phone" error={errors.phone?.message}>
          <Input type="tel" autoComplete="off" {...form.register('phone')} />
        </FormField>
        <FormField label="Company" error={errors.company?.message}>
          <Input autoComplete="off" {...form.register('company')} />
        </FormField>
        <FormField label="Website" error={errors.website?.message}>
          <Input inputMode="url" autoComplete="off" placeholder="example.com" {...form.register('website')} />
        </FormField>
        <Controller
          control={form.control}
          name="status"
          render={({ field }) => (
            <FormField label="Status" error={errors.status?.message}>
              <StatusSelect value={field.value} onChange={field.onChange} />
            </FormField>
          )}
        />
        <div className="sm:col-span-2">
          <FormField label="Notes" error={errors.notes?.message}>
            <Textarea rows={4} placeholder="Anything your team should know" {...form.register('notes')} />
          </FormField>
        </div>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Save
        </Button>
      </DialogFooter>
    </form>
  )
}
