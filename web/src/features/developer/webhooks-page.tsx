import { BookOpenIcon, PlusIcon, WebhookIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { ListLoadError, PageHeader } from '@/components/list-page'
import { NoAccess } from '@/components/no-access'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { WebhookCreateDialog } from './components/webhook-create-dialog'
import { WebhookDeliveryBadge, WebhookEndpointBadge } from './components/webhook-status-badge'
import { useWebhookEndpoints, type WebhookEndpoint } from './data/webhooks'

/** /orgs/:orgId/webhooks — the organization's outbound webhook endpoints (webhooks.manage, plan feature api_access). */
export function WebhooksPage() {
  useTitle('Webhooks')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const features = usePlanFeatures(orgId)
  const [creating, setCreating] = useState(false)
  const allowed = permissions.can('webhooks.manage')
  const hasFeature = features.has('api_access')
  const endpoints = useWebhookEndpoints(orgId, allowed && hasFeature)

  if (!permissions.loaded) return null
  if (!allowed) return <NoAccess what="webhooks" />
  const gap = planFeatureError(endpoints.error)

  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title="Webhooks"
        description="Send signed events to your own tools, Zapier or Slack the moment they happen here."
        action={
          hasFeature &&
          !gap && (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden="true" />
              Add endpoint
            </Button>
          )
        }
      />
      {!hasFeature || gap ? (
        <UpgradePrompt orgId={orgId} feature="api_access" detail={gap?.detail} />
      ) : endpoints.isPending ? (
        <Skeleton className="h-40 w-full" aria-label="Loading webhook endpoints" />
      ) : endpoints.isError ? (
        <ListLoadError what="the webhook endpoints" error={endpoints.error} onRetry={() => void endpoints.refetch()} />
      ) : endpoints.data.data.length === 0 ? (
        <EmptyState onCreate={() => setCreating(true)} />
      ) : (
        <ul className="grid gap-3" aria-label="Webhook endpoints">
          {endpoints.data.data.map((e) => (
            <EndpointRow key={e.id} orgId={orgId} endpoint={e} />
          ))}
        </ul>
      )}
      <p className="text-sm text-muted-foreground">
        <Link to="/developer" className="inline-flex items-center gap-1 font-medium text-primary underline-offset-4 hover:underline">
          <BookOpenIcon className="size-4" aria-hidden="true" />
          Event payloads and how to verify signatures
        </Link>
      </p>
      <WebhookCreateDialog orgId={orgId} open={creating} onOpenChange={setCreating} />
    </div>
  )
}

/** What webhooks are for, and the way to the first endpoint. */
function EmptyState({ onCreate }: { onCreate: () => void }) {
  return (
    <section aria-labelledby="webhooks-empty" className="grid justify-items-center gap-3 rounded-lg border border-dashed px-6 py-12 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-muted text-muted-foreground">
        <WebhookIcon className="size-6" aria-hidden="true" />
      </div>
      <h2 id="webhooks-empty" className="text-lg font-semibold">
        No webhook endpoints yet
      </h2>
      <p className="max-w-md text-sm text-muted-foreground">
        Add an endpoint and choose events such as task.completed or invoice.paid: each one is POSTed to your URL, signed, retried
        when your server is down, and logged here so you can replay it.
      </p>
      <Button onClick={onCreate}>
        <PlusIcon aria-hidden="true" />
        Add your first endpoint
      </Button>
    </section>
  )
}

/** One endpoint: URL (the link to its page), description, status, events count and last delivery. */
function EndpointRow({ orgId, endpoint: e }: { orgId: string; endpoint: WebhookEndpoint }) {
  return (
    <li data-testid="webhook-endpoint-row" className="grid gap-2 rounded-lg border p-4 sm:grid-cols-[1fr_auto] sm:items-center">
      <div className="grid min-w-0 gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to={`/orgs/${orgId}/webhooks/${e.id}`}
            className="font-mono text-sm font-medium break-all text-primary underline-offset-4 hover:underline"
          >
            {e.url}
          </Link>
          <WebhookEndpointBadge endpoint={e} />
        </div>
        {e.description && <p className="text-sm break-words text-muted-foreground">{e.description}</p>}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-muted-foreground sm:text-right">
        <dt>Events</dt>
        <dd>{e.events.length === 1 ? e.events[0] : `${e.events.length} events`}</dd>
        <dt>Last delivery</dt>
        <dd className="flex flex-wrap items-center gap-1.5 sm:justify-end">
          {e.last_delivery ? (
            <>
              <WebhookDeliveryBadge status={e.last_delivery.status} />
              <span>{formatDateTime(e.last_delivery.at)}</span>
            </>
          ) : (
            'None yet'
          )}
        </dd>
      </dl>
    </li>
  )
}
