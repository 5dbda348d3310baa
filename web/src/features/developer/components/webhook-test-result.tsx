import { formatDateTime } from '@/lib/format'
import type { WebhookDelivery } from '../data/webhooks'
import { WebhookDeliveryBadge } from './webhook-status-badge'

/** The outcome of "Send test", inline: status, HTTP code, duration and the start of the answer (or the error). */
export function WebhookTestResult({ delivery: d }: { delivery: WebhookDelivery }) {
  return (
    <div data-testid="webhook-test-result" className="grid gap-2 rounded-md border p-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <WebhookDeliveryBadge status={d.status} />
        <span>
          {d.status === 'pending'
            ? 'Still waiting for your receiver; the log below shows the outcome.'
            : d.status === 'delivered'
              ? 'Your receiver accepted the test.'
              : 'The test failed.'}
        </span>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-muted-foreground">
        <dt>Status code</dt>
        <dd data-testid="webhook-test-status-code">{d.last_status_code ?? 'No answer'}</dd>
        <dt>Duration</dt>
        <dd>{d.duration_ms != null ? `${d.duration_ms} ms` : '—'}</dd>
        <dt>Sent</dt>
        <dd>{formatDateTime(d.created_at)}</dd>
        {d.last_error && (
          <>
            <dt>Error</dt>
            <dd className="break-words text-destructive">{d.last_error}</dd>
          </>
        )}
      </dl>
      {d.response_excerpt && (
        <div className="grid gap-1">
          <p className="text-xs font-medium">Response</p>
          <pre className="max-h-40 overflow-auto rounded-md bg-muted/40 p-2 text-xs break-all whitespace-pre-wrap">{d.response_excerpt}</pre>
        </div>
      )}
    </div>
  )
}
