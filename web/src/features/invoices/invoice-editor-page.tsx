import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon, PlusIcon, Trash2Icon } from 'lucide-react'
import { useRef, useState } from 'react'
import { Controller, useFieldArray, useForm, useWatch, type UseFormSetError } from 'react-hook-form'
import { Link, useNavigate, useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { NoAccess } from '@/components/no-access'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useOrgSettings } from '@/features/org-settings/data/api'
import { currencies } from '@/features/org-settings/data/schema'
import { useTitle } from '@/lib/use-title'
import { uuid } from '@/lib/uuid'
import { TotalsSummary } from './components/totals-summary'
import { useClientOptions, useCreateInvoice, useInvoice, useUpdateInvoice, type Invoice } from './data/api'
import { formatMoney, moneyPlaceholder } from './data/money'
import { apiFieldToForm, emptyLine, invoiceFormSchema, liveTotals, toBody, toFormInput, type InvoiceFormInput, type InvoiceFormValues } from './data/schema'

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring aria-invalid:border-destructive'

/** /orgs/:orgId/invoices/new and /orgs/:orgId/invoices/:invoiceId/edit — the draft editor. */
export function InvoiceEditorPage() {
  const { orgId = '', invoiceId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const invoice = useInvoice(orgId, invoiceId)
  useTitle(invoiceId ? `Edit invoice ${invoice.data?.number ?? ''}`.trim() : 'New invoice')
  const settings = useOrgSettings(orgId)
  const invoicing = usePlanFeatures(orgId).has('invoices')
  if (permissions.loaded && !permissions.can('invoices.write')) return <NoAccess what="invoice editing" />
  const loading = (invoiceId !== '' && invoice.isPending) || settings.isPending
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <h1 className="text-2xl font-semibold tracking-tight">{invoiceId ? `Edit invoice ${invoice.data?.number ?? ''}` : 'New invoice'}</h1>
      {!invoicing ? (
        <UpgradePrompt orgId={orgId} feature="invoices" />
      ) : loading ? (
        <Skeleton className="h-96 w-full" />
      ) : invoice.data && invoice.data.status !== 'draft' ? (
        <p className="text-sm text-muted-foreground">Only drafts can be edited; this invoice was already sent.</p>
      ) : (
        <InvoiceForm orgId={orgId} invoice={invoice.data} defaultCurrency={settings.data?.currency ?? 'USD'} />
      )}
    </div>
  )
}

function InvoiceForm({ orgId, invoice, defaultCurrency }: { orgId: string; invoice?: Invoice; defaultCurrency: string }) {
  const navigate = useNavigate()
  const clients = useClientOptions(orgId)
  const create = useCreateInvoice(orgId)
  const update = useUpdateInvoice(orgId, invoice?.id ?? '')
  const idempotencyKey = useRef(uuid())
  const [gap, setGap] = useState<string>()
  const form = useForm<InvoiceFormInput, unknown, InvoiceFormValues>({
    resolver: zodResolver(invoiceFormSchema),
    defaultValues: toFormInput(invoice, defaultCurrency),
  })
  const lines = useFieldArray({ control: form.control, name: 'lines' })
  const watched = useWatch({ control: form.control })
  const currency = (watched.currency ?? defaultCurrency).trim().toUpperCase() || defaultCurrency
  const totals = liveTotals({ currency, discount: watched.discount ?? '', lines: (watched.lines ?? []).map((l) => ({ ...emptyLine, ...l })) })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = invoice
        ? await update.mutateAsync(toBody(values))
        : await create.mutateAsync({ body: toBody(values), idempotencyKey: idempotencyKey.current })
      toast.success(invoice ? 'Invoice saved' : `Draft invoice ${saved.number} created`)
      void navigate(`/orgs/${orgId}/invoices/${saved.id}`)
    } catch (error) {
      idempotencyKey.current = uuid()
      const refused = planFeatureError(error)
      if (refused) setGap(refused.detail)
      else placeServerErrors(error, form.setError)
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-6">
      {gap && <UpgradePrompt orgId={orgId} feature="invoices" detail={gap} />}
      <FormAlert message={errors.root?.server?.message} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Controller
          control={form.control}
          name="clientId"
          render={({ field }) => (
            <FormField label="Client" required error={errors.clientId?.message}>
              <select className={selectClass} value={field.value} onChange={(e) => field.onChange(e.target.value)} disabled={clients.isPending}>
                <option value="">{clients.isPending ? 'Loading clients…' : 'Choose a client'}</option>
                {clients.data?.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </FormField>
          )}
        />
        <div className="grid grid-cols-3 gap-3">
          <FormField label="Currency" required error={errors.currency?.message}>
            <select className={selectClass} {...form.register('currency')}>
              {currencyOptions(form.getValues('currency')).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </FormField>
          <FormField label="Issued" required error={errors.issueDate?.message}>
            <Input type="date" {...form.register('issueDate')} />
          </FormField>
          <FormField label="Due" required error={errors.dueDate?.message}>
            <Input type="date" {...form.register('dueDate')} />
          </FormField>
        </div>
      </div>

      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">Lines</legend>
        <div className="hidden grid-cols-[1fr_6rem_8rem_5rem_8rem_2.5rem] gap-2 text-xs font-medium text-muted-foreground sm:grid">
          <span>Description</span>
          <span>Quantity</span>
          <span>Unit price</span>
          <span>Tax %</span>
          <span className="text-right">Amount</span>
          <span />
        </div>
        {lines.fields.map((field, i) => {
          const lineErrors = errors.lines?.[i]
          return (
            <div key={field.id} className="grid grid-cols-2 items-start gap-2 sm:grid-cols-[1fr_6rem_8rem_5rem_8rem_2.5rem]">
              <Input aria-label={`Line ${i + 1} description`} aria-invalid={Boolean(lineErrors?.description)} className="col-span-2 sm:col-span-1" {...form.register(`lines.${i}.description`)} />
              <Input aria-label={`Line ${i + 1} quantity`} aria-invalid={Boolean(lineErrors?.quantity)} inputMode="decimal" {...form.register(`lines.${i}.quantity`)} />
              <Input aria-label={`Line ${i + 1} unit price`} aria-invalid={Boolean(lineErrors?.unitPrice)} inputMode="decimal" placeholder={moneyPlaceholder(currency)} {...form.register(`lines.${i}.unitPrice`)} />
              <Input aria-label={`Line ${i + 1} tax rate`} aria-invalid={Boolean(lineErrors?.taxRate)} inputMode="decimal" placeholder="0" {...form.register(`lines.${i}.taxRate`)} />
              <span className="self-center text-right text-sm tabular-nums">{totals ? formatMoney(totals.lines[i]?.amount ?? 0, currency) : '—'}</span>
              <Button type="button" variant="ghost" size="icon" aria-label={`Remove line ${i + 1}`} onClick={() => lines.remove(i)}>
                <Trash2Icon aria-hidden="true" />
              </Button>
              {lineErrors && (
                <p className="col-span-full text-sm text-destructive">
                  {[lineErrors.description, lineErrors.quantity, lineErrors.unitPrice, lineErrors.taxRate].map((e) => e?.message).filter(Boolean).join(' · ')}
                </p>
              )}
            </div>
          )
        })}
        {errors.lines?.message && <p className="text-sm text-destructive">{errors.lines.message}</p>}
        <Button type="button" variant="outline" size="sm" className="w-fit" onClick={() => lines.append(emptyLine)}>
          <PlusIcon aria-hidden="true" />
          Add line
        </Button>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-[1fr_20rem]">
        <div className="grid gap-4">
          <FormField label="Discount %" error={errors.discount?.message} hint="Taken off the subtotal before tax.">
            <Input inputMode="decimal" placeholder="0" className="w-32" {...form.register('discount')} />
          </FormField>
          <FormField label="Notes" error={errors.notes?.message}>
            <Textarea rows={3} placeholder="Payment details, thanks…" {...form.register('notes')} />
          </FormField>
        </div>
        {totals ? (
          <TotalsSummary currency={currency} subtotal={totals.subtotal} discount={totals.discount} tax={totals.tax} total={totals.total} />
        ) : (
          <p className="text-sm text-destructive">The total is too large for one invoice.</p>
        )}
      </div>

      <div className="flex justify-end gap-2">
        <Button variant="outline" asChild>
          <Link to={invoice ? `/orgs/${orgId}/invoices/${invoice.id}` : `/orgs/${orgId}/invoices`}>Cancel</Link>
        </Button>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          {invoice ? 'Save draft' : 'Create draft'}
        </Button>
      </div>
    </form>
  )
}

/** Puts the API's field errors on the matching fields (line fields included), the rest in the form alert. */
function placeServerErrors(error: unknown, setError: UseFormSetError<InvoiceFormInput>) {
  if (!(error instanceof ApiError)) {
    setError('root.server', { message: 'Something went wrong. Please try again.' })
    return
  }
  if (error.isServerError) return
  let placed = false
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    const target = apiFieldToForm(field)
    if (target) {
      setError(target as Parameters<typeof setError>[0], { type: 'server', message })
      placed = true
    }
  }
  if (!placed) setError('root.server', { message: error.detail })
}

/** The currencies an invoice can be in (the organization's list), plus the invoice's own if it is not among them. */
function currencyOptions(current: string | undefined): string[] {
  const code = (current ?? '').toUpperCase()
  return code && !(currencies as readonly string[]).includes(code) ? [code, ...currencies] : [...currencies]
}

