import { ArrowLeftIcon, KeyRoundIcon, Loader2Icon, PowerIcon, SendIcon, Trash2Icon } from 'lucide-react'
import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { ListLoadError } from '@/components/list-page'
import { NoAccess } from '@/components/no-access'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { WebhookDeliveryLog } from './components/webhook-delivery-log'
import { WebhookEndpointForm } from './components/webhook-endpoint-form'
import { WebhookRotateDialog } from './components/webhook-rotate-dialog'
import { WebhookEndpointBadge } from './components/webhook-status-badge'
import { WebhookTestResult } from './components/webhook-test-result'
import {
  useDeleteWebhookEndpoint,
  useSendWebhookTest,
  useUpdateWebhookEndpoint,
  useWebhookEndpoint,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './data/webhooks'

/** /orgs/:orgId/webhooks/:endpointId — one endpoint: test, edit, enable, rotate, delete, and its delivery log. */
export function WebhookEndpointPage() {
  useTitle('Webhook endpoint')
  const { orgId = '', endpointId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const features = usePlanFeatures(orgId)
  const allowed = permissions.can('webhooks.manage')
  const hasFeature = features.has('api_access')
  const endpoint = useWebhookEndpoint(orgId, endpointId, allowed && hasFeature)

  if (!permissions.loaded) return null
  if (!allowed) return <NoAccess what="webhooks" />
  const gap = planFeatureError(endpoint.error)
  const notFound = endpoint.error instanceof ApiError && endpoint.error.status === 404

  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <Link to={`/orgs/${orgId}/webhooks`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeftIcon className="size-4" aria-hidden="true" />
        Webhooks
      </Link>
      {!hasFeature || gap ? (
        <UpgradePrompt orgId={orgId} feature="api_access" detail={gap?.detail} />
      ) : endpoint.isPending ? (
        <Skeleton className="h-48 w-full" aria-label="Loading the endpoint" />
      ) : notFound ? (
        <div role="alert" className="grid gap-2 rounded-lg border border-dashed p-6 text-center">
          <h1 className="text-lg font-semibold">Endpoint not found</h1>
          <p className="text-sm text-muted-foreground">It may have been deleted.</p>
        </div>
      ) : endpoint.isError ? (
        <ListLoadError what="the endpoint" error={endpoint.error} onRetry={() => void endpoint.refetch()} />
      ) : (
        <EndpointView orgId={orgId} endpoint={endpoint.data} />
      )}
    </div>
  )
}

function EndpointView({ orgId, endpoint: e }: { orgId: string; endpoint: WebhookEndpoint }) {
  const navigate = useNavigate()
  const update = useUpdateWebhookEndpoint(orgId, e.id)
  const remove = useDeleteWebhookEndpoint(orgId)
  const test = useSendWebhookTest(orgId, e.id)
  const [result, setResult] = useState<WebhookDelivery>()
  const [rotating, setRotating] = useState(false)
  const [deleting, setDeleting] = useState(false)

  const sendTest = async () => {
    try {
      setResult(await test.mutateAsync())
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't send the test", { description: error.detail })
    }
  }
  const toggle = async () => {
    try {
      await update.mutateAsync({ enabled: !e.enabled })
      toast.success(e.enabled ? 'Endpoint disabled' : 'Endpoint enabled')
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't change the endpoint", { description: error.detail })
    }
  }

  return (
    <>
      <header className="grid gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="min-w-0 font-mono text-lg font-semibold break-all sm:text-xl">{e.url}</h1>
          <WebhookEndpointBadge endpoint={e} />
        </div>
        {e.description && <p className="text-sm break-words text-muted-foreground">{e.description}</p>}
        <p className="text-xs text-muted-foreground">
          {e.failing_since && `Failing since ${formatDateTime(e.failing_since)}. `}
          {e.secret_rotated_until && `The previous secret signs too until ${formatDateTime(e.secret_rotated_until)}.`}
        </p>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => void sendTest()} disabled={test.isPending || !e.enabled}>
            {test.isPending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <SendIcon aria-hidden="true" />}
            Send test
          </Button>
          <Button variant="outline" onClick={() => void toggle()} disabled={update.isPending}>
            <PowerIcon aria-hidden="true" />
            {e.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button variant="outline" onClick={() => setRotating(true)}>
            <KeyRoundIcon aria-hidden="true" />
            Rotate secret
          </Button>
          <Button variant="outline" className="text-destructive" onClick={() => setDeleting(true)}>
            <Trash2Icon aria-hidden="true" />
            Delete
          </Button>
        </div>
        {!e.enabled && <p className="text-sm text-muted-foreground">Enable the endpoint to send a test or replay deliveries.</p>}
        <div aria-live="polite">
          {test.isPending && <p className="text-sm text-muted-foreground">Sending a signed ping…</p>}
          {result && !test.isPending && <WebhookTestResult delivery={result} />}
        </div>
      </header>

      <section aria-labelledby="endpoint-settings" className="grid gap-3 rounded-lg border p-4">
        <h2 id="endpoint-settings" className="text-lg font-semibold">
          Settings
        </h2>
        <WebhookEndpointForm
          key={e.updated_at}
          defaultValues={{ url: e.url, description: e.description, events: e.events }}
          submitLabel="Save changes"
          onSave={async (v) => {
            await update.mutateAsync({ url: v.url, description: v.description, events: v.events })
            toast.success('Endpoint saved')
          }}
        />
      </section>

      <WebhookDeliveryLog orgId={orgId} endpointId={e.id} enabled={e.enabled} />

      <WebhookRotateDialog orgId={orgId} endpointId={e.id} open={rotating} onOpenChange={setRotating} />
      <ConfirmDeleteDialog
        open={deleting}
        onOpenChange={setDeleting}
        title="Delete this endpoint?"
        description="Deliveries stop at once and its delivery log is deleted. This cannot be undone."
        onConfirm={async () => {
          const gone = await deleteWithFeedback(() => remove.mutateAsync(e.id), {
            deleted: 'Endpoint deleted',
            gone: 'The endpoint was already deleted',
            failed: "Couldn't delete the endpoint",
          })
          if (gone) void navigate(`/orgs/${orgId}/webhooks`)
          return gone
        }}
      />
    </>
  )
}
