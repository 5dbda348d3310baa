import { Badge } from '@/components/ui/badge'
import { cn } from '@/lib/utils'
import { disabledReasonLabel, type WebhookDeliveryStatus, type WebhookEndpoint } from '../data/webhooks'

/** Enabled, or disabled with the reason (by hand, 410 Gone, 24 hours failing). */
export function WebhookEndpointBadge({ endpoint }: { endpoint: Pick<WebhookEndpoint, 'enabled' | 'disabled_reason'> }) {
  if (endpoint.enabled) return <Badge variant="success">Enabled</Badge>
  return (
    <Badge variant="outline" className={cn(endpoint.disabled_reason && endpoint.disabled_reason !== 'manual' && 'border-destructive/40 text-destructive')}>
      {disabledReasonLabel(endpoint.disabled_reason)}
    </Badge>
  )
}

const deliveryBadge: Record<WebhookDeliveryStatus, { label: string; className?: string; variant: 'success' | 'outline' | 'secondary' }> = {
  delivered: { label: 'Delivered', variant: 'success' },
  failed: { label: 'Failed', variant: 'outline', className: 'border-destructive/40 text-destructive' },
  pending: { label: 'Pending', variant: 'secondary' },
}

/** A delivery's status as a badge. */
export function WebhookDeliveryBadge({ status }: { status: WebhookDeliveryStatus }) {
  const b = deliveryBadge[status]
  return (
    <Badge variant={b.variant} className={b.className} data-testid="delivery-status">
      {b.label}
    </Badge>
  )
}
