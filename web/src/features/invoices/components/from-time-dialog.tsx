import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useRef } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import { z } from 'zod'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { useOrgSettings } from '@/features/org-settings/data/api'
import { ProjectSelect } from '@/features/time/components/project-task-fields'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { uuid } from '@/lib/uuid'
import { useCreateInvoiceFromTime, useUnbilledTime } from '../data/api'
import { formatMoney } from '../data/money'
import { rateBp } from '../data/schema'
import { quantityForMinutes } from '../data/totals'

const fromTimeSchema = z
  .object({
    projectId: z.string().min(1, 'Choose a project'),
    from: z.string().min(1, 'Choose the first day'),
    to: z.string().min(1, 'Choose the last day'),
    taxRate: z.string().refine((v) => v.trim() === '' || /^\d{1,3}([.,]\d{1,2})?$/.test(v.trim()), 'Enter a percentage like 7.5'),
  })
  .refine((v) => v.from <= v.to, { path: ['to'], message: 'The last day cannot be before the first' })

type FromTimeInput = z.input<typeof fromTimeSchema>

function monthStart(): string {
  const d = new Date()
  return new Date(Date.UTC(d.getFullYear(), d.getMonth(), 1)).toISOString().slice(0, 10)
}

/** "Create from time": a project and a period; shows what will be billed, then opens the new draft. */
export function FromTimeDialog({ orgId, open, onOpenChange }: { orgId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Create invoice from time</DialogTitle>
          <DialogDescription>Bills the project's unbilled, billable time in the period: one line per task at the project's hourly rate.</DialogDescription>
        </DialogHeader>
        {open && <FromTimeForm orgId={orgId} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  )
}

function FromTimeForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const navigate = useNavigate()
  const create = useCreateInvoiceFromTime(orgId)
  const idempotencyKey = useRef(uuid())
  const form = useForm<FromTimeInput>({
    resolver: zodResolver(fromTimeSchema),
    defaultValues: { projectId: '', from: monthStart(), to: new Date().toISOString().slice(0, 10), taxRate: '' },
  })
  const { errors, isSubmitting } = form.formState
  const [projectId, from, to] = form.watch(['projectId', 'from', 'to'])
  const preview = useUnbilledTime(orgId, projectId, from, to)
  const currency = useOrgSettings(orgId).data?.currency ?? 'USD'

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const invoice = await create.mutateAsync({
        body: { project_id: values.projectId, from: values.from, to: values.to, tax_rate_bp: rateBp(values.taxRate) },
        idempotencyKey: idempotencyKey.current,
      })
      toast.success(`Draft invoice ${invoice.number} created`)
      onDone()
      void navigate(`/orgs/${orgId}/invoices/${invoice.id}`)
    } catch (error) {
      idempotencyKey.current = uuid()
      showApiErrorOnForm(error, form.setError, ['projectId', 'from', 'to'])
    }
  })

  const hours = preview.data ? quantityForMinutes(preview.data.minutes) / 1000 : 0
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <Controller
        control={form.control}
        name="projectId"
        render={({ field }) => (
          <FormField label="Project" required error={errors.projectId?.message}>
            <ProjectSelect orgId={orgId} value={field.value} onChange={field.onChange} />
          </FormField>
        )}
      />
      <div className="grid grid-cols-3 gap-3">
        <FormField label="From" required error={errors.from?.message}>
          <Input type="date" {...form.register('from')} />
        </FormField>
        <FormField label="To" required error={errors.to?.message}>
          <Input type="date" {...form.register('to')} />
        </FormField>
        <FormField label="Tax %" error={errors.taxRate?.message}>
          <Input inputMode="decimal" placeholder="0" {...form.register('taxRate')} />
        </FormField>
      </div>
      <p role="status" aria-live="polite" className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="unbilled-preview">
        {!projectId
          ? 'Choose a project to see its unbilled time.'
          : preview.isPending
            ? 'Counting unbilled time…'
            : preview.isError
              ? preview.error.message
              : preview.data.entries === 0
                ? 'No unbilled billable time in this period.'
                : `${preview.data.entries} ${preview.data.entries === 1 ? 'entry' : 'entries'}, ${hours} h` +
                  (preview.data.hourly_rate > 0
                    ? ` at ${formatMoney(preview.data.hourly_rate, currency)} per hour will be billed.`
                    : ' — the project has no hourly rate yet.')}
      </p>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={isSubmitting || !preview.data || preview.data.entries === 0}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Create draft
        </Button>
      </DialogFooter>
    </form>
  )
}
