import { AlertCircleIcon, DownloadIcon } from 'lucide-react'
import { useParams } from 'react-router'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { InvoiceLines } from './components/invoice-lines'
import { InvoiceStatusBadge } from './components/invoice-status-badge'
import { TotalsSummary } from './components/totals-summary'
import { publicInvoicePdfUrl, usePublicInvoice, type PublicInvoice } from './data/api'

/** /client-portal/invoices/:token — public: the invoice a client was emailed, under its sender's brand. */
export function PublicInvoicePage() {
  useTitle('Invoice')
  const { token = '' } = useParams()
  const invoice = usePublicInvoice(token)
  return (
    <main className="mx-auto flex min-h-full w-full max-w-3xl flex-col gap-6 p-4 sm:p-8">
      {invoice.isPending ? (
        <Skeleton className="h-96 w-full" aria-label="Loading the invoice" />
      ) : invoice.isError ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>This invoice link doesn't work</AlertTitle>
          <AlertDescription>It may be incomplete. Ask the sender for the invoice again.</AlertDescription>
        </Alert>
      ) : (
        <PublicInvoiceView token={token} invoice={invoice.data} />
      )}
    </main>
  )
}

function PublicInvoiceView({ token, invoice }: { token: string; invoice: PublicInvoice }) {
  // The brand colour is validated server-side (#rrggbb); anything else falls back to the default.
  const brand = /^#[0-9a-f]{6}$/i.test(invoice.brand_color) ? invoice.brand_color : '#4f46e5'
  return (
    <article className="grid gap-6 rounded-lg border bg-card p-6 shadow-sm" style={{ borderTop: `6px solid ${brand}` }}>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <p className="text-lg font-semibold" style={{ color: brand }}>
            {invoice.organization_name}
          </p>
          <h1 className="text-2xl font-semibold tracking-tight">Invoice {invoice.number}</h1>
          <p className="text-sm text-muted-foreground">
            To {invoice.client_name} · issued {formatDate(`${invoice.issue_date}T00:00:00`)} · due {formatDate(`${invoice.due_date}T00:00:00`)}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <InvoiceStatusBadge status={invoice.status} />
          <Button variant="outline" asChild>
            <a href={publicInvoicePdfUrl(token)} download={`invoice-${invoice.number}.pdf`}>
              <DownloadIcon aria-hidden="true" />
              Download PDF
            </a>
          </Button>
        </div>
      </header>
      <InvoiceLines lines={invoice.lines} currency={invoice.currency} />
      <TotalsSummary
        currency={invoice.currency}
        subtotal={invoice.subtotal}
        discount={invoice.discount}
        tax={invoice.tax}
        total={invoice.total}
        amountPaid={invoice.amount_paid}
      />
      {invoice.notes && <p className="text-sm whitespace-pre-wrap text-muted-foreground">{invoice.notes}</p>}
    </article>
  )
}
