import { ChevronDownIcon, ChevronRightIcon, Loader2Icon, RotateCcwIcon } from 'lucide-react'
import { Fragment, useId, useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { ListLoadError } from '@/components/list-page'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { NativeSelect } from '@/components/ui/native-select'
import { formatDateTime } from '@/lib/format'
import {
  localInputToRFC3339,
  prettyJSON,
  toLocalInput,
  useReplayFailedWebhookDeliveries,
  useReplayWebhookDelivery,
  useWebhookDeliveries,
  useWebhookDelivery,
  webhookEventTypes,
  type WebhookDelivery,
  type WebhookDeliveryFilters,
  type WebhookDeliveryStatus,
} from '../data/webhooks'
import { WebhookDeliveryBadge } from './webhook-status-badge'

/**
 * The endpoint's delivery log: status and event filters, newest first with "Load more", a row expanding to
 * its tries and request body, Replay on each finished delivery, and "Replay failed since…". The table
 * scrolls inside its own box on narrow screens, never the page.
 */
export function WebhookDeliveryLog({ orgId, endpointId, enabled }: { orgId: string; endpointId: string; enabled: boolean }) {
  const [filters, setFilters] = useState<WebhookDeliveryFilters>({})
  const log = useWebhookDeliveries(orgId, endpointId, filters)
  const statusId = useId()
  const eventId = useId()
  const deliveries = log.data?.pages.flatMap((p) => p.data) ?? []

  return (
    <section aria-labelledby="delivery-log-title" className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1">
          <h2 id="delivery-log-title" className="text-lg font-semibold">
            Delivery log
          </h2>
          <p className="text-sm text-muted-foreground">Each event sent to this endpoint, kept for 30 days.</p>
        </div>
        <div className="grid w-full grid-cols-2 gap-2 sm:w-auto">
          <div className="grid gap-1">
            <Label htmlFor={statusId}>Status</Label>
            <NativeSelect
              id={statusId}
              value={filters.status ?? ''}
              onChange={(e) => setFilters({ ...filters, status: (e.target.value || undefined) as WebhookDeliveryStatus | undefined })}
            >
              <option value="">All</option>
              <option value="pending">Pending</option>
              <option value="delivered">Delivered</option>
              <option value="failed">Failed</option>
            </NativeSelect>
          </div>
          <div className="grid gap-1">
            <Label htmlFor={eventId}>Event</Label>
            <NativeSelect
              id={eventId}
              value={filters.event ?? ''}
              onChange={(e) => setFilters({ ...filters, event: e.target.value || undefined })}
            >
              <option value="">All</option>
              <option value="ping">ping (tests)</option>
              {webhookEventTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </NativeSelect>
          </div>
        </div>
      </div>
      {enabled && <ReplayFailedSince orgId={orgId} endpointId={endpointId} />}
      {log.isPending ? (
        <Skeleton className="h-32 w-full" aria-label="Loading deliveries" />
      ) : log.isError ? (
        <ListLoadError what="the deliveries" error={log.error} onRetry={() => void log.refetch()} />
      ) : deliveries.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
          {filters.status || filters.event ? 'No delivery matches these filters.' : 'No deliveries yet. Send a test to see one here.'}
        </p>
      ) : (
        <div className="max-w-full overflow-x-auto rounded-lg border" role="region" aria-label="Deliveries" tabIndex={0}>
          <table className="w-full min-w-[40rem] text-sm">
            <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Event
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Response
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Tries
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Created
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <DeliveryRow key={d.id} orgId={orgId} endpointId={endpointId} delivery={d} canReplay={enabled} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <Button variant="outline" className="justify-self-center" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Load more
        </Button>
      )}
    </section>
  )
}

/** "HTTP 500 · 31 ms", or the error when no answer came. */
export function responseSummary(d: Pick<WebhookDelivery, 'last_status_code' | 'last_error' | 'duration_ms'>): string {
  const parts: string[] = []
  if (d.last_status_code != null) parts.push(`HTTP ${d.last_status_code}`)
  else if (d.last_error) parts.push(d.last_error)
  if (d.duration_ms != null) parts.push(`${d.duration_ms} ms`)
  return parts.join(' · ') || '—'
}

/** One delivery; the chevron expands its tries and request body. */
function DeliveryRow({ orgId, endpointId, delivery: d, canReplay }: { orgId: string; endpointId: string; delivery: WebhookDelivery; canReplay: boolean }) {
  const [open, setOpen] = useState(false)
  const replay = useReplayWebhookDelivery(orgId, endpointId)
  const detailId = `delivery-${d.id}`
  const doReplay = async () => {
    try {
      await replay.mutateAsync(d.id)
      toast.success('Replay queued', { description: `A new delivery of event ${d.event_id} is on its way.` })
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't replay the delivery", { description: error.detail })
    }
  }
  return (
    <Fragment>
      <tr className="border-t align-top" data-testid="delivery-row" data-status={d.status} data-event={d.event_type}>
        <td className="px-3 py-2">
          <button
            type="button"
            className="inline-flex items-center gap-1 rounded-sm text-left font-mono text-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring"
            aria-expanded={open}
            aria-controls={detailId}
            aria-label={`${d.event_type}: tries and request body`}
            onClick={() => setOpen(!open)}
          >
            {open ? <ChevronDownIcon className="size-4 shrink-0" aria-hidden="true" /> : <ChevronRightIcon className="size-4 shrink-0" aria-hidden="true" />}
            {d.event_type}
          </button>
          {d.replay_of && <span className="ml-5 block text-xs text-muted-foreground">Replay</span>}
        </td>
        <td className="px-3 py-2">
          <WebhookDeliveryBadge status={d.status} />
          {d.status === 'pending' && d.next_attempt_at && (
            <span className="block text-xs text-muted-foreground">Next try {formatDateTime(d.next_attempt_at)}</span>
          )}
        </td>
        <td className="px-3 py-2 break-words">{responseSummary(d)}</td>
        <td className="px-3 py-2">{d.attempts}</td>
        <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(d.created_at)}</td>
        <td className="px-3 py-2 text-right">
          {canReplay && d.status !== 'pending' && (
            <Button
              size="sm"
              variant={d.status === 'failed' ? 'default' : 'outline'}
              disabled={replay.isPending}
              aria-label={`Replay ${d.event_type} delivery`}
              onClick={() => void doReplay()}
            >
              {replay.isPending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <RotateCcwIcon aria-hidden="true" />}
              Replay
            </Button>
          )}
        </td>
      </tr>
      {open && (
        <tr id={detailId} className="bg-muted/20">
          <td colSpan={6} className="px-3 py-3">
            <DeliveryDetail orgId={orgId} endpointId={endpointId} deliveryId={d.id} />
          </td>
        </tr>
      )}
    </Fragment>
  )
}

/** A delivery's tries and the envelope as sent. */
function DeliveryDetail({ orgId, endpointId, deliveryId }: { orgId: string; endpointId: string; deliveryId: string }) {
  const detail = useWebhookDelivery(orgId, endpointId, deliveryId)
  if (detail.isPending) return <Skeleton className="h-20 w-full" aria-label="Loading the delivery" />
  if (detail.isError) return <p className="text-sm text-destructive">Couldn't load this delivery: {detail.error.message}</p>
  const d = detail.data
  return (
    <div className="grid gap-3">
      <p className="text-xs text-muted-foreground">
        Delivery <span className="font-mono">{d.id}</span> · event <span className="font-mono">{d.event_id}</span>
      </p>
      <div className="grid gap-1">
        <h3 className="text-sm font-medium">Tries</h3>
        {d.attempt_log.length === 0 ? (
          <p className="text-sm text-muted-foreground">No try yet.</p>
        ) : (
          <ol className="grid gap-1 text-sm">
            {d.attempt_log.map((a) => (
              <li key={a.attempt} className="grid gap-0.5 rounded-md border bg-background p-2">
                <span>
                  #{a.attempt} · {formatDateTime(a.started_at)} · {a.status_code != null ? `HTTP ${a.status_code}` : (a.error ?? 'no answer')} ·{' '}
                  {a.duration_ms} ms
                </span>
                {a.response_excerpt && <code className="block text-xs break-all whitespace-pre-wrap text-muted-foreground">{a.response_excerpt}</code>}
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className="grid gap-1">
        <h3 className="text-sm font-medium">Request body</h3>
        {d.request_body === null ? (
          <p className="text-sm text-muted-foreground">Hidden: your role may not read this event's data.</p>
        ) : (
          <pre className="max-h-64 overflow-auto rounded-md border bg-background p-2 text-xs">{prettyJSON(d.request_body)}</pre>
        )}
      </div>
    </div>
  )
}

/** "Replay failed since…": every event that failed after the chosen time gets a new delivery. */
function ReplayFailedSince({ orgId, endpointId }: { orgId: string; endpointId: string }) {
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 24 * 3600 * 1000)))
  const [error, setError] = useState<string>()
  const replay = useReplayFailedWebhookDeliveries(orgId, endpointId)
  const inputId = useId()
  const submit = async () => {
    const at = localInputToRFC3339(since)
    if (!at) return setError('Choose a date and time')
    if (new Date(at).getTime() > Date.now()) return setError('Choose a time in the past')
    setError(undefined)
    try {
      const { replayed } = await replay.mutateAsync(at)
      if (replayed === 0) toast.info('Nothing to replay', { description: 'No event failed since then that is not already on its way.' })
      else toast.success(`${replayed} ${replayed === 1 ? 'delivery' : 'deliveries'} replayed`)
    } catch (err) {
      if (err instanceof ApiError && !err.isServerError) setError(err.fieldErrors.since ?? err.detail)
    }
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-lg border p-3"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor={inputId}>Replay failed deliveries since</Label>
        <Input
          id={inputId}
          type="datetime-local"
          value={since}
          max={toLocalInput(new Date())}
          onChange={(e) => setSince(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          className="w-auto"
        />
      </div>
      <Button type="submit" variant="outline" disabled={replay.isPending}>
        {replay.isPending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <RotateCcwIcon aria-hidden="true" />}
        Replay failed
      </Button>
      {error && (
        <p id={`${inputId}-error`} role="alert" className="w-full text-sm text-destructive">
          {error}
        </p>
      )}
    </form>
  )
}
