import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { z } from 'zod'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useInvoiceActions, type Invoice } from '../data/api'
import { formatMoney, formatMoneyInput, parseMoneyInput } from '../data/money'

const methodValues = ['bank_transfer', 'card', 'cash', 'check', 'other'] as const

const methods: [(typeof methodValues)[number], string][] = [
  ['bank_transfer', 'Bank transfer'],
  ['card', 'Card'],
  ['cash', 'Cash'],
  ['check', 'Check'],
  ['other', 'Other'],
]

function paymentSchema(invoice: Invoice) {
  return z.object({
    amount: z.string().refine((v) => {
      const minor = parseMoneyInput(v, invoice.currency)
      // A zero-total invoice is settled by a payment of 0 (the server marks it paid, no payment row).
      const least = invoice.total === 0 ? 0 : 1
      return minor !== null && minor >= least && minor <= invoice.balance
    }, `Enter an amount up to ${formatMoney(invoice.balance, invoice.currency)}`),
    paidOn: z.string().min(1, 'Choose the day it was paid'),
    method: z.enum(methodValues),
    note: z.string().max(1000, 'Use at most 1000 characters'),
  })
}

type PaymentInput = z.input<ReturnType<typeof paymentSchema>>

/** Records money received; the balance is the default amount. */
export function PaymentDialog({ orgId, invoice, open, onOpenChange }: { orgId: string; invoice: Invoice; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md">
        <DialogHeader>
          <DialogTitle>Record a payment</DialogTitle>
          <DialogDescription>
            Invoice {invoice.number}: {formatMoney(invoice.balance, invoice.currency)} due. Paying the balance marks it paid.
          </DialogDescription>
        </DialogHeader>
        {open && <PaymentForm orgId={orgId} invoice={invoice} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  )
}

function PaymentForm({ orgId, invoice, onDone }: { orgId: string; invoice: Invoice; onDone: () => void }) {
  const { pay } = useInvoiceActions(orgId, invoice.id)
  const form = useForm<PaymentInput>({
    resolver: zodResolver(paymentSchema(invoice)),
    defaultValues: { amount: formatMoneyInput(invoice.balance, invoice.currency), paidOn: new Date().toISOString().slice(0, 10), method: 'bank_transfer', note: '' },
  })
  const { errors, isSubmitting } = form.formState
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const updated = await pay.mutateAsync({ amount: parseMoneyInput(values.amount, invoice.currency) ?? 0, paid_on: values.paidOn, method: values.method, note: values.note })
      toast.success(updated.status === 'paid' ? `Invoice ${updated.number} is paid` : 'Payment recorded')
      onDone()
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['amount', 'paidOn', 'method', 'note'])
    }
  })
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <div className="grid grid-cols-2 gap-3">
        <FormField label={`Amount (${invoice.currency})`} required error={errors.amount?.message}>
          <Input inputMode="decimal" {...form.register('amount')} />
        </FormField>
        <FormField label="Paid on" required error={errors.paidOn?.message}>
          <Input type="date" {...form.register('paidOn')} />
        </FormField>
      </div>
      <FormField label="Method" error={errors.method?.message}>
        <select
          className="flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring"
          {...form.register('method')}
        >
          {methods.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Note" error={errors.note?.message}>
        <Textarea rows={2} {...form.register('note')} />
      </FormField>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Record payment
        </Button>
      </DialogFooter>
    </form>
  )
}
