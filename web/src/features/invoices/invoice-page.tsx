import { AlertCircleIcon, BanIcon, CopyIcon, DownloadIcon, PencilIcon, SendIcon, Trash2Icon, WalletIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { NoAccess } from '@/components/no-access'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { gatedProps, RoleHint, usePermissionGate } from '@/components/permission-gate'
import { useMe } from '@/features/auth/data/api'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { InvoiceLines } from './components/invoice-lines'
import { InvoiceStatusBadge } from './components/invoice-status-badge'
import { PaymentDialog } from './components/payment-dialog'
import { SendInvoiceDialog } from './components/send-invoice-dialog'
import { TotalsSummary } from './components/totals-summary'
import { invoicePdfUrl, useInvoice, useInvoiceActions, type Invoice } from './data/api'
import { formatMoney } from './data/money'

/** /orgs/:orgId/invoices/:invoiceId — the invoice with its PDF preview and its actions. */
export function InvoicePage() {
  const { orgId = '', invoiceId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const invoice = useInvoice(orgId, invoiceId)
  useTitle(invoice.data ? `Invoice ${invoice.data.number}` : 'Invoice')
  if (permissions.loaded && !permissions.can('invoices.read')) return <NoAccess what="this organization's invoices" />
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      {invoice.isPending ? (
        <Skeleton className="h-96 w-full" />
      ) : invoice.isError ? (
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>Couldn't load the invoice</AlertTitle>
          <AlertDescription>{invoice.error.message}</AlertDescription>
        </Alert>
      ) : (
        <InvoiceDetail orgId={orgId} invoice={invoice.data} canWrite={permissions.can('invoices.write')} />
      )}
    </div>
  )
}

function InvoiceDetail({ orgId, invoice, canWrite }: { orgId: string; invoice: Invoice; canWrite: boolean }) {
  const [paying, setPaying] = useState(false)
  const [link, setLink] = useState<string | undefined>()
  // A 402 from an action (the plan changed while the page was open) shows the same prompt.
  const [gap, setGap] = useState<string>()
  const invoicing = usePlanFeatures(orgId).has('invoices') && gap === undefined
  const pdfUrl = invoicePdfUrl(orgId, invoice.id)
  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">Invoice {invoice.number}</h1>
            <span data-testid="invoice-status">
              <InvoiceStatusBadge status={invoice.status} />
            </span>
          </div>
          <p className="text-sm text-muted-foreground">
            {invoice.client_name}
            {invoice.project_name && ` · ${invoice.project_name}`} · issued {formatDate(`${invoice.issue_date}T00:00:00`)} · due{' '}
            {formatDate(`${invoice.due_date}T00:00:00`)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" asChild>
            <a href={pdfUrl} download={`invoice-${invoice.number}.pdf`}>
              <DownloadIcon aria-hidden="true" />
              PDF
            </a>
          </Button>
          {canWrite && invoicing && <InvoiceActions orgId={orgId} invoice={invoice} onPay={() => setPaying(true)} onLink={setLink} onPlanGap={setGap} />}
          {!canWrite && invoice.status === 'draft' && <GatedSend orgId={orgId} />}
        </div>
      </div>
      {canWrite && !invoicing && <UpgradePrompt orgId={orgId} feature="invoices" detail={gap} />}
      {link && <ClientLink link={link} />}
      <div className="grid gap-6 lg:grid-cols-[1fr_1fr]">
        <section aria-label="Invoice details" className="grid content-start gap-4">
          <div className="overflow-hidden rounded-lg border bg-card">
            <InvoiceLines lines={invoice.lines} currency={invoice.currency} />
          </div>
          <TotalsSummary
            currency={invoice.currency}
            subtotal={invoice.subtotal}
            discount={invoice.discount}
            tax={invoice.tax}
            total={invoice.total}
            amountPaid={invoice.amount_paid}
          />
          {invoice.payments.length > 0 && (
            <div className="grid gap-2">
              <h2 className="text-sm font-medium">Payments</h2>
              <ul className="grid gap-1 text-sm">
                {invoice.payments.map((p) => (
                  <li key={p.id} className="flex justify-between">
                    <span>
                      {formatDate(`${p.paid_on}T00:00:00`)} · {p.method.replace('_', ' ')}
                      {p.note && ` · ${p.note}`}
                    </span>
                    <span className="tabular-nums">{formatMoney(p.amount, invoice.currency)}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {invoice.notes && <p className="text-sm whitespace-pre-wrap text-muted-foreground">{invoice.notes}</p>}
        </section>
        <section aria-label="PDF preview" className="min-h-[32rem] overflow-hidden rounded-lg border bg-muted">
          {/* The key reloads the preview whenever the invoice changes (a payment changes its status line). */}
          <iframe key={invoice.updated_at} title={`Invoice ${invoice.number} PDF`} src={pdfUrl} className="h-full min-h-[32rem] w-full" />
        </section>
      </div>
      {paying && <PaymentDialog orgId={orgId} invoice={invoice} open={paying} onOpenChange={setPaying} />}
    </>
  )
}

function ClientLink({ link }: { link: string }) {
  return (
    <Alert>
      <AlertTitle>Client link</AlertTitle>
      <AlertDescription>
        <p>The client was emailed this link. It is shown only now; copy it if you need it elsewhere.</p>
        <div className="mt-2 flex items-center gap-2">
          <code className="truncate rounded bg-muted px-2 py-1 text-xs" data-testid="client-link">
            {link}
          </code>
          <Button
            variant="outline"
            size="sm"
            onClick={() => void navigator.clipboard.writeText(link).then(() => toast.success('Link copied'))}
            aria-label="Copy client link"
          >
            <CopyIcon aria-hidden="true" />
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  )
}

/** The Send button as someone without invoice writing sees it: disabled, naming who can. */
function GatedSend({ orgId }: { orgId: string }) {
  const gate = usePermissionGate(orgId, 'invoices.write', 'send invoices')
  return (
    <div className="flex flex-col items-end gap-1">
      <Button {...gatedProps(gate)}>
        <SendIcon aria-hidden="true" />
        Send
      </Button>
      <RoleHint gate={gate} />
    </div>
  )
}

function InvoiceActions({
  orgId,
  invoice,
  onPay,
  onLink,
  onPlanGap,
}: {
  orgId: string
  invoice: Invoice
  onPay: () => void
  onLink: (link: string) => void
  onPlanGap: (detail: string) => void
}) {
  const navigate = useNavigate()
  const { data: me } = useMe()
  const orgName = me?.memberships.find((m) => m.organization.id === orgId)?.organization.name ?? ''
  const [confirmingSend, setConfirmingSend] = useState(false)
  const { send, voidIt, remove } = useInvoiceActions(orgId, invoice.id)
  const busy = send.isPending || voidIt.isPending || remove.isPending
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action()
      toast.success(done)
    } catch (error) {
      const gap = planFeatureError(error)
      if (gap) onPlanGap(gap.detail)
      else if (error instanceof ApiError && !error.isServerError) toast.error(error.detail)
    }
  }
  if (invoice.status === 'draft') {
    return (
      <>
        <Button variant="outline" asChild>
          <Link to={`/orgs/${orgId}/invoices/${invoice.id}/edit`}>
            <PencilIcon aria-hidden="true" />
            Edit
          </Link>
        </Button>
        <Button
          variant="outline"
          disabled={busy}
          onClick={() => {
            if (!window.confirm(`Delete draft invoice ${invoice.number}? Its time becomes unbilled again.`)) return
            void run(async () => {
              await remove.mutateAsync()
              void navigate(`/orgs/${orgId}/invoices`)
            }, 'Draft deleted')
          }}
        >
          <Trash2Icon aria-hidden="true" />
          Delete
        </Button>
        <Button disabled={busy || invoice.lines.length === 0} onClick={() => setConfirmingSend(true)}>
          <SendIcon aria-hidden="true" />
          Send
        </Button>
        <SendInvoiceDialog
          invoice={invoice}
          orgName={orgName}
          open={confirmingSend}
          sending={send.isPending}
          onOpenChange={setConfirmingSend}
          onSend={() =>
            void run(async () => {
              const sent = await send.mutateAsync()
              setConfirmingSend(false)
              if (sent.public_url) onLink(sent.public_url)
            }, `Invoice ${invoice.number} sent`)
          }
        />
      </>
    )
  }
  if (invoice.status !== 'sent' && invoice.status !== 'overdue') return null
  return (
    <>
      {invoice.amount_paid === 0 && (
        <Button
          variant="outline"
          disabled={busy}
          onClick={() => {
            if (!window.confirm(`Void invoice ${invoice.number}? Its time becomes billable again.`)) return
            void run(() => voidIt.mutateAsync(), `Invoice ${invoice.number} voided`)
          }}
        >
          <BanIcon aria-hidden="true" />
          Void
        </Button>
      )}
      <Button onClick={onPay} disabled={busy}>
        <WalletIcon aria-hidden="true" />
        {invoice.total === 0 ? 'Mark paid' : 'Record payment'}
      </Button>
    </>
  )
}
