import { ReceiptIcon } from 'lucide-react'
import { usePortalInvoices } from './data/api'
import { usePortalScope } from './data/context'
import { dueByCurrency, totalsDueText } from './data/format'
import { InvoiceList } from './components/parts'
import { EmptyState, PortalError, PortalLoading, PortalPageHeader } from './components/states'
import { useTitle } from '@/lib/use-title'

/** /client-portal/:orgId/invoices — sent, overdue and paid invoices with their PDFs. */
export function PortalInvoicesPage() {
  useTitle('Invoices')
  const scope = usePortalScope()
  const invoices = usePortalInvoices(scope)
  return (
    <>
      <PortalPageHeader title="Invoices" description="Invoices the team has sent you, with their status and PDF." />
      {invoices.isPending ? (
        <PortalLoading what="invoices" />
      ) : invoices.isError ? (
        <PortalError what="invoices" error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : invoices.data.data.length === 0 ? (
        <EmptyState icon={ReceiptIcon} title="No invoices yet">
          Invoices the team sends you appear here, and stay here once they are paid.
        </EmptyState>
      ) : (
        <>
          <p className="text-sm">
            <span className="text-muted-foreground">Total due: </span>
            <strong className="tabular-nums">{totalsDueText(dueByCurrency(invoices.data.data))}</strong>
          </p>
          <InvoiceList scope={scope} invoices={invoices.data.data} />
        </>
      )}
    </>
  )
}
