import { Badge } from '@/components/ui/badge'
import { cn } from '@/lib/utils'

const labels: Record<string, string> = { draft: 'Draft', sent: 'Sent', overdue: 'Overdue', paid: 'Paid', void: 'Void' }

/** An invoice's status as a coloured label. */
export function InvoiceStatusBadge({ status }: { status: string }) {
  if (status === 'paid') return <Badge variant="success">Paid</Badge>
  if (status === 'draft' || status === 'void') return <Badge variant="outline">{labels[status]}</Badge>
  return (
    <Badge variant="secondary" className={cn(status === 'overdue' && 'bg-destructive/12 text-destructive')}>
      {labels[status] ?? status}
    </Badge>
  )
}
