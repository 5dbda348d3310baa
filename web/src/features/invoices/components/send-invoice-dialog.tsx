import { Loader2Icon, SendIcon } from 'lucide-react'
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
import { formatDate } from '@/lib/format'
import type { Invoice } from '../data/api'
import { formatMoney } from '../data/money'

/**
 * Asks before an invoice goes out: who receives it, the email's subject and message (the default
 * invoice_available wording) and the amount. Cancel leaves the invoice a draft.
 */
export function SendInvoiceDialog({
  invoice,
  orgName,
  open,
  sending,
  onOpenChange,
  onSend,
}: {
  invoice: Invoice
  orgName: string
  open: boolean
  sending: boolean
  onOpenChange: (open: boolean) => void
  onSend: () => void
}) {
  const total = formatMoney(invoice.total, invoice.currency)
  const due = formatDate(`${invoice.due_date}T00:00:00`)
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogContent data-testid="send-invoice-dialog">
        <AlertDialogHeader>
          <AlertDialogTitle>Send invoice {invoice.number}?</AlertDialogTitle>
          <AlertDialogDescription>Once sent it can no longer be edited, only voided or paid.</AlertDialogDescription>
        </AlertDialogHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">To</dt>
          <dd data-testid="send-recipient">
            {invoice.client_email ? (
              <>
                {invoice.client_name} &lt;{invoice.client_email}&gt;
              </>
            ) : (
              <>{invoice.client_name} has no email address: nothing is emailed, you get a link to share yourself.</>
            )}
          </dd>
          <dt className="text-muted-foreground">Amount</dt>
          <dd className="font-medium tabular-nums" data-testid="send-amount">
            {total}, due {due}
          </dd>
          {invoice.client_email && (
            <>
              <dt className="text-muted-foreground">Subject</dt>
              <dd data-testid="send-subject">
                Invoice {invoice.number} from {orgName}
              </dd>
              <dt className="text-muted-foreground">Message</dt>
              <dd className="rounded-md border bg-muted/40 p-2 text-muted-foreground">
                Hi {invoice.client_name}, {orgName} sent you invoice {invoice.number} for {total}, due on {invoice.due_date}. You can view it and
                download a PDF from the link in the email.
              </dd>
            </>
          )}
        </dl>
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline">Cancel</Button>
          </AlertDialogCancel>
          <Button onClick={onSend} disabled={sending}>
            {sending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <SendIcon aria-hidden="true" />}
            Send invoice
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
