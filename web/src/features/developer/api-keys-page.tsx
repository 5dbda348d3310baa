import { BookOpenIcon, KeyRoundIcon, PlusIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { ListLoadError, PageHeader } from '@/components/list-page'
import { NoAccess } from '@/components/no-access'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { formatDate, formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { ApiKeyCreateDialog } from './components/api-key-create-dialog'
import { apiKeyHint, useApiKeys, useDeleteApiKey, useRevokeApiKey, type ApiKey } from './data/api-keys'

/** /orgs/:orgId/api-keys — the organization's API keys (api_keys.manage, plan feature api_access). */
export function ApiKeysPage() {
  useTitle('API keys')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const features = usePlanFeatures(orgId)
  const [creating, setCreating] = useState(false)
  const allowed = permissions.can('api_keys.manage')
  const hasFeature = features.has('api_access')
  const keys = useApiKeys(orgId, allowed && hasFeature)

  if (!permissions.loaded) return null
  if (!allowed) return <NoAccess what="API keys" />
  const gap = planFeatureError(keys.error)

  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title="API keys"
        description="Keys let your scripts and integrations call the ClientFlow API as you, in this organization only."
        action={
          hasFeature &&
          !gap && (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden="true" />
              Create API key
            </Button>
          )
        }
      />
      {!hasFeature || gap ? (
        <UpgradePrompt orgId={orgId} feature="api_access" detail={gap?.detail} />
      ) : keys.isPending ? (
        <Skeleton className="h-40 w-full" aria-label="Loading API keys" />
      ) : keys.isError ? (
        <ListLoadError what="the API keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.data.length === 0 ? (
        <EmptyState onCreate={() => setCreating(true)} />
      ) : (
        <ul className="grid gap-3" aria-label="API keys">
          {keys.data.data.map((k) => (
            <ApiKeyRow key={k.id} orgId={orgId} apiKey={k} />
          ))}
        </ul>
      )}
      <p className="text-sm text-muted-foreground">
        <Link to="/developer" className="inline-flex items-center gap-1 font-medium text-primary underline-offset-4 hover:underline">
          <BookOpenIcon className="size-4" aria-hidden="true" />
          API reference and authentication
        </Link>
      </p>
      <ApiKeyCreateDialog orgId={orgId} open={creating} onOpenChange={setCreating} />
    </div>
  )
}

/** What keys are for, and the way to the first one. */
function EmptyState({ onCreate }: { onCreate: () => void }) {
  return (
    <section aria-labelledby="api-keys-empty" className="grid justify-items-center gap-3 rounded-lg border border-dashed px-6 py-12 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-muted text-muted-foreground">
        <KeyRoundIcon className="size-6" aria-hidden="true" />
      </div>
      <h2 id="api-keys-empty" className="text-lg font-semibold">
        No API keys yet
      </h2>
      <p className="max-w-md text-sm text-muted-foreground">
        Create a key to connect Zapier, a reporting script or your own tools. Each key works only in this organization, with your
        permissions or fewer, and you can revoke it at any time. Read the <Link to="/developer" className="font-medium text-primary underline-offset-4 hover:underline">API reference</Link> to
        get started.
      </p>
      <Button onClick={onCreate}>
        <PlusIcon aria-hidden="true" />
        Create your first key
      </Button>
    </section>
  )
}

const statusBadge: Record<ApiKey['status'], { label: string; variant: 'success' | 'outline' | 'secondary' }> = {
  active: { label: 'Active', variant: 'success' },
  expired: { label: 'Expired', variant: 'secondary' },
  revoked: { label: 'Revoked', variant: 'outline' },
}

/** One key: name, status, how to recognise it, who made it, last use and expiry, and its actions. */
function ApiKeyRow({ orgId, apiKey: k }: { orgId: string; apiKey: ApiKey }) {
  const revoke = useRevokeApiKey(orgId)
  const remove = useDeleteApiKey(orgId)
  const [confirm, setConfirm] = useState<'revoke' | 'delete'>()
  const badge = statusBadge[k.status]
  const headingId = `api-key-${k.id}`

  const doRevoke = async () => {
    try {
      await revoke.mutateAsync(k.id)
      toast.success(`“${k.name}” revoked`)
      return true
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't revoke the key", { description: error.detail })
      return false
    }
  }

  return (
    <li aria-labelledby={headingId} data-testid="api-key-row" className="grid gap-3 rounded-lg border p-4 sm:grid-cols-[1fr_auto] sm:items-start">
      <div className="grid min-w-0 gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={headingId} className="font-medium break-words">
            {k.name}
          </h2>
          <Badge variant={badge.variant}>{badge.label}</Badge>
        </div>
        <p className="font-mono text-xs break-all text-muted-foreground">{apiKeyHint(k)}</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-muted-foreground">
          <dt>Created</dt>
          <dd>
            {formatDate(k.created_at)} by {k.created_by.name}
          </dd>
          <dt>Last used</dt>
          <dd>{k.last_used_at ? `${formatDateTime(k.last_used_at)}${k.last_used_ip ? ` from ${k.last_used_ip}` : ''}` : 'Never'}</dd>
          <dt>{k.status === 'revoked' ? 'Revoked' : 'Expires'}</dt>
          <dd>
            {k.status === 'revoked' && k.revoked_at ? formatDateTime(k.revoked_at) : k.expires_at ? formatDate(k.expires_at) : 'Never'}
          </dd>
          <dt>Scope</dt>
          <dd className="break-words">{k.scopes ? k.scopes.join(', ') : 'All of the creator’s permissions'}</dd>
        </dl>
      </div>
      <div className="flex flex-wrap gap-2 sm:justify-end">
        {k.status !== 'revoked' && (
          <Button variant="outline" size="sm" onClick={() => setConfirm('revoke')} aria-label={`Revoke ${k.name}`}>
            Revoke
          </Button>
        )}
        <Button variant="outline" size="sm" onClick={() => setConfirm('delete')} aria-label={`Delete ${k.name}`}>
          Delete
        </Button>
      </div>
      <ConfirmDeleteDialog
        open={confirm === 'revoke'}
        onOpenChange={(open) => !open && setConfirm(undefined)}
        title={`Revoke “${k.name}”?`}
        description="Requests with this key are refused from now on. The key stays listed so you can see when it was last used; if it is used again we email you and the owners."
        confirmLabel="Revoke key"
        onConfirm={doRevoke}
      />
      <ConfirmDeleteDialog
        open={confirm === 'delete'}
        onOpenChange={(open) => !open && setConfirm(undefined)}
        title={`Delete “${k.name}”?`}
        description="The key stops working at once and disappears from this list. This cannot be undone."
        confirmLabel="Delete key"
        onConfirm={() =>
          deleteWithFeedback(() => remove.mutateAsync(k.id), {
            deleted: `“${k.name}” deleted`,
            gone: 'That key was already deleted',
            failed: "Couldn't delete the key",
          })
        }
      />
    </li>
  )
}
