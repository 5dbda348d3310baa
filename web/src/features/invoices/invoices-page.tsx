import { AlertCircleIcon, ChevronLeftIcon, ChevronRightIcon, ClockIcon, PlusIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { gatedProps, RoleHint, usePermissionGate } from '@/components/permission-gate'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage, type CursorPages } from '@/lib/cursor-pagination'
import { formatDate } from '@/lib/format'
import { ExportButton } from '@/features/exports/components/export-button'
import { useTitle } from '@/lib/use-title'
import { FromTimeDialog } from './components/from-time-dialog'
import { InvoiceStatusBadge } from './components/invoice-status-badge'
import { invoiceStatuses, parseInvoiceStatus, useInvoices, type InvoiceStatus, type InvoiceSummary } from './data/api'
import { formatMoney } from './data/money'

/** /orgs/:orgId/invoices — the agency's invoices to its clients, filtered by status (?status=). */
export function InvoicesPage() {
  useTitle('Invoices')
  const { orgId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const status = parseInvoiceStatus(params.get('status'))
  const [fromTime, setFromTime] = useState(false)
  const permissions = useOrgPermissions(orgId)
  const canWrite = permissions.can('invoices.write')
  const writeGate = usePermissionGate(orgId, 'invoices.write', 'create invoices')
  // Without the plan's invoices feature, existing invoices stay readable but nothing new can be made.
  const invoicing = usePlanFeatures(orgId).has('invoices')
  if (permissions.loaded && !permissions.can('invoices.read')) return <NoAccess what="this organization's invoices" />

  const setStatus = (value: InvoiceStatus | undefined) =>
    setParams(value ? new URLSearchParams({ status: value }) : new URLSearchParams(), { replace: true })

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Invoices</h1>
          <p className="text-sm text-muted-foreground">Bills to your clients, from logged time or written by hand.</p>
        </div>
        <ExportButton orgId={orgId} kind="invoices" filters={{ status }} />
        {canWrite && invoicing && (
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" onClick={() => setFromTime(true)}>
              <ClockIcon aria-hidden="true" />
              Create from time
            </Button>
            <Button asChild>
              <Link to={`/orgs/${orgId}/invoices/new`}>
                <PlusIcon aria-hidden="true" />
                New invoice
              </Link>
            </Button>
          </div>
        )}
        {!writeGate.allowed && invoicing && (
          <div className="flex flex-col items-end gap-1">
            <Button {...gatedProps(writeGate)}>
              <PlusIcon aria-hidden="true" />
              New invoice
            </Button>
            <RoleHint gate={writeGate} />
          </div>
        )}
      </div>
      {canWrite && !invoicing && <UpgradePrompt orgId={orgId} feature="invoices" />}
      <Select value={status ?? 'all'} onValueChange={(next) => setStatus(parseInvoiceStatus(next))}>
        <SelectTrigger aria-label="Filter by status" className="w-full sm:w-44">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="all">All statuses</SelectItem>
          {invoiceStatuses.map((s) => (
            <SelectItem key={s} value={s}>
              {s[0].toUpperCase() + s.slice(1)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <InvoiceResults key={`${orgId}\n${status ?? ''}`} orgId={orgId} status={status} />
      <FromTimeDialog orgId={orgId} open={fromTime} onOpenChange={setFromTime} />
    </div>
  )
}

function InvoiceResults({ orgId, status }: { orgId: string; status: InvoiceStatus | undefined }) {
  const [pages, setPages] = useState<CursorPages>(firstPage())
  const invoices = useInvoices(orgId, status, currentCursor(pages))
  const rows = invoices.data?.data ?? []
  if (invoices.isPending) return <Skeleton className="h-48 w-full" />
  if (invoices.isError && !invoices.data) {
    return (
      <Alert variant="destructive">
        <AlertCircleIcon />
        <AlertTitle>Couldn't load invoices</AlertTitle>
        <AlertDescription>{invoices.error.message}</AlertDescription>
      </Alert>
    )
  }
  if (rows.length === 0) {
    return <p className="rounded-lg border bg-card p-8 text-center text-sm text-muted-foreground">{status ? `No ${status} invoices.` : 'No invoices yet.'}</p>
  }
  return (
    <section aria-label="Invoice list" className="flex flex-col gap-4">
      <div className="overflow-hidden rounded-lg border bg-card">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Number</TableHead>
              <TableHead>Client</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Due</TableHead>
              <TableHead className="text-right">Total</TableHead>
              <TableHead className="text-right">Balance</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((inv) => (
              <InvoiceRow key={inv.id} orgId={orgId} invoice={inv} />
            ))}
          </TableBody>
        </Table>
      </div>
      <PageTotals rows={rows} />
      <div className="flex items-center justify-end gap-2">
        <span className="text-sm text-muted-foreground">Page {pageNumber(pages)}</span>
        <Button variant="outline" size="sm" disabled={!hasPrevious(pages)} onClick={() => setPages(previousPage(pages))} aria-label="Previous page">
          <ChevronLeftIcon aria-hidden="true" />
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={!invoices.data?.next_cursor}
          onClick={() => setPages(nextPage(pages, invoices.data?.next_cursor))}
          aria-label="Next page"
        >
          <ChevronRightIcon aria-hidden="true" />
        </Button>
      </div>
    </section>
  )
}

function InvoiceRow({ orgId, invoice }: { orgId: string; invoice: InvoiceSummary }) {
  return (
    <TableRow>
      <TableCell>
        <Link className="font-medium underline-offset-4 hover:underline" to={`/orgs/${orgId}/invoices/${invoice.id}`}>
          Invoice {invoice.number}
        </Link>
      </TableCell>
      <TableCell>{invoice.client_name}</TableCell>
      <TableCell>
        <InvoiceStatusBadge status={invoice.status} />
      </TableCell>
      <TableCell>{formatDate(`${invoice.due_date}T00:00:00`)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatMoney(invoice.total, invoice.currency)}</TableCell>
      <TableCell className="text-right tabular-nums">{invoice.status === 'void' ? '—' : formatMoney(invoice.balance, invoice.currency)}</TableCell>
    </TableRow>
  )
}

/** Sums of the page per currency: what is outstanding and what was invoiced. */
function PageTotals({ rows }: { rows: InvoiceSummary[] }) {
  const sums = new Map<string, { total: number; outstanding: number }>()
  for (const inv of rows) {
    if (inv.status === 'void') continue
    const sum = sums.get(inv.currency) ?? { total: 0, outstanding: 0 }
    sum.total += inv.total
    if (inv.status !== 'draft') sum.outstanding += inv.balance
    sums.set(inv.currency, sum)
  }
  return (
    <p className="text-right text-sm text-muted-foreground" data-testid="invoice-page-totals">
      {[...sums.entries()]
        .map(([currency, s]) => `Invoiced ${formatMoney(s.total, currency)} · outstanding ${formatMoney(s.outstanding, currency)}`)
        .join(' | ')}
    </p>
  )
}
