import { ExternalLinkIcon, Loader2Icon, MailIcon, UserRoundIcon } from 'lucide-react'
import { useId, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Client, Invitation } from '@/api/types'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'
import {
  inviteErrorMessage,
  pendingInvitations,
  useClientContacts,
  useContactInvitationActions,
  useInviteContact,
  useRemoveContact,
  useSetPortalEnabled,
  type ClientContact,
} from '../data/contacts'

/**
 * The client page's "Client portal" card: the portal switch, the client's contacts and pending contact
 * invitations, an invite form and a link to preview the portal as this client. Editing needs clients.write;
 * without the plan's client_portal feature it shows the upgrade prompt instead.
 */
export function ClientPortalCard({ orgId, client, canWrite }: { orgId: string; client: Client; canWrite: boolean }) {
  const features = usePlanFeatures(orgId)
  const available = features.has('client_portal')
  const contacts = useClientContacts(orgId, client.id, available)
  const gap = planFeatureError(contacts.error)

  return (
    <Card aria-labelledby="client-portal-title">
      <CardHeader>
        <CardTitle id="client-portal-title" className="text-base">
          Client portal
        </CardTitle>
        <CardDescription>A branded space where {client.name}'s contacts follow their projects, get shared files and pay invoices.</CardDescription>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-5">
        {!available || gap ? (
          <UpgradePrompt orgId={orgId} feature="client_portal" detail={gap?.detail} />
        ) : (
          <>
            <PortalSwitch orgId={orgId} client={client} canWrite={canWrite} />
            {contacts.isPending && <Skeleton className="h-16 w-full" aria-label="Loading contacts" />}
            {contacts.isError && (
              <Alert variant="destructive">
                <AlertDescription>
                  <p>Couldn't load the contacts. {contacts.error.message}</p>
                  <Button variant="outline" size="sm" className="mt-2" onClick={() => void contacts.refetch()}>
                    Try again
                  </Button>
                </AlertDescription>
              </Alert>
            )}
            {contacts.data && (
              <>
                <ContactList orgId={orgId} clientId={client.id} contacts={contacts.data.data} canWrite={canWrite} />
                <PendingInvitations orgId={orgId} clientId={client.id} invitations={pendingInvitations(contacts.data)} canWrite={canWrite} />
              </>
            )}
            {canWrite && <InviteContactForm orgId={orgId} clientId={client.id} />}
            <div>
              <Button variant="outline" size="sm" asChild>
                <Link to={`/client-portal/${orgId}?preview=${client.id}`}>
                  <ExternalLinkIcon aria-hidden="true" />
                  Preview portal
                </Link>
              </Button>
            </div>
          </>
        )}
      </CardContent>
    </Card>
  )
}

/** The portal on/off switch, with what turning it on does. */
function PortalSwitch({ orgId, client, canWrite }: { orgId: string; client: Client; canWrite: boolean }) {
  const id = useId()
  const toggle = useSetPortalEnabled(orgId, client.id)
  const enabled = toggle.isPending ? (toggle.variables ?? false) : Boolean(client.portal_enabled)
  const [gapDetail, setGapDetail] = useState<string>()

  const flip = () =>
    toggle.mutate(!enabled, {
      onSuccess: (saved) => toast.success(saved.portal_enabled ? `Portal enabled for ${client.name}` : `Portal turned off for ${client.name}`),
      onError: (error) => {
        const gap = planFeatureError(error)
        if (gap) setGapDetail(gap.detail)
        else if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't change the portal", { description: error.detail })
      },
    })

  return (
    <div className="grid grid-cols-1 gap-2">
      <div className="flex items-start gap-3">
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={enabled}
          aria-describedby={`${id}-hint`}
          disabled={!canWrite || toggle.isPending}
          onClick={flip}
          className={cn(
            'relative mt-0.5 inline-flex h-5 w-9 shrink-0 items-center rounded-full border-2 border-transparent transition-colors outline-none focus-visible:ring-[3px] focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-50',
            enabled ? 'bg-primary' : 'bg-input',
          )}
        >
          <span className={cn('block size-4 rounded-full bg-background shadow transition-transform', enabled ? 'translate-x-4' : 'translate-x-0')} />
        </button>
        <div className="grid gap-0.5">
          <Label htmlFor={id}>{enabled ? 'Portal on' : 'Portal off'}</Label>
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {enabled
              ? `Contacts can sign in to the portal${client.portal_enabled_at ? ` (on since ${formatDate(client.portal_enabled_at)})` : ''}.`
              : 'Turn it on: contacts get an email and can sign in to the portal.'}
          </p>
        </div>
      </div>
      {gapDetail && <UpgradePrompt orgId={orgId} feature="client_portal" detail={gapDetail} compact />}
    </div>
  )
}

function ContactList({ orgId, clientId, contacts, canWrite }: { orgId: string; clientId: string; contacts: ClientContact[]; canWrite: boolean }) {
  const remove = useRemoveContact(orgId, clientId)
  const [removing, setRemoving] = useState<ClientContact | null>(null)
  return (
    <section aria-labelledby="client-contacts-title" className="grid grid-cols-1 gap-2">
      <h3 id="client-contacts-title" className="text-sm font-medium">
        Contacts
      </h3>
      {contacts.length === 0 ? (
        <p className="text-sm text-muted-foreground">No contacts yet. Invite someone below.</p>
      ) : (
        <ul aria-label="Contacts" className="divide-y rounded-md border">
          {contacts.map((c) => (
            <li key={c.user_id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <UserRoundIcon aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
              <div className="min-w-0 flex-1 basis-40">
                <p className="truncate font-medium">{c.name || c.email}</p>
                <p className="truncate text-xs text-muted-foreground">
                  {c.email} · joined {formatDate(c.joined_at)}
                  {c.status !== 'active' && ` · ${c.status}`}
                </p>
              </div>
              {canWrite && (
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-muted-foreground hover:text-destructive"
                  aria-label={`Remove ${c.name || c.email}`}
                  onClick={() => setRemoving(c)}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDeleteDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing?.name || removing?.email}?`}
        description="They can no longer sign in to this client's portal. Their comments and requests stay."
        confirmLabel="Remove contact"
        onConfirm={() =>
          deleteWithFeedback(() => remove.mutateAsync(removing?.user_id ?? ''), {
            deleted: `${removing?.name || removing?.email} removed`,
            gone: 'That contact was already removed.',
            failed: "Couldn't remove the contact",
          })
        }
      />
    </section>
  )
}

function PendingInvitations({ orgId, clientId, invitations, canWrite }: { orgId: string; clientId: string; invitations: Invitation[]; canWrite: boolean }) {
  const { resend, revoke } = useContactInvitationActions(orgId, clientId)
  if (invitations.length === 0) return null

  const run = async (action: 'resend' | 'revoke', invitation: Invitation) => {
    try {
      if (action === 'resend') await resend.mutateAsync(invitation.id)
      else await revoke.mutateAsync(invitation.id)
      toast.success(action === 'resend' ? `Invitation sent again to ${invitation.email}` : `Invitation to ${invitation.email} revoked`)
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error(`Couldn't ${action} the invitation`, { description: error.detail })
    }
  }

  return (
    <section aria-labelledby="contact-invitations-title" className="grid grid-cols-1 gap-2">
      <h3 id="contact-invitations-title" className="text-sm font-medium">
        Pending invitations
      </h3>
      <ul aria-label="Pending contact invitations" className="divide-y rounded-md border">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
            <MailIcon aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
            <div className="min-w-0 flex-1 basis-40">
              <p className="truncate font-medium">{invitation.email}</p>
              <p className="text-xs text-muted-foreground">Expires {formatDate(invitation.expires_at)}</p>
            </div>
            {canWrite && (
              <div className="flex gap-1">
                <Button variant="ghost" size="sm" disabled={resend.isPending} aria-label={`Resend invitation to ${invitation.email}`} onClick={() => void run('resend', invitation)}>
                  Resend
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-muted-foreground hover:text-destructive"
                  disabled={revoke.isPending}
                  aria-label={`Revoke invitation to ${invitation.email}`}
                  onClick={() => void run('revoke', invitation)}
                >
                  Revoke
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function InviteContactForm({ orgId, clientId }: { orgId: string; clientId: string }) {
  const id = useId()
  const invite = useInviteContact(orgId, clientId)
  const [email, setEmail] = useState('')
  const [error, setError] = useState<string>()
  const [gapDetail, setGapDetail] = useState<string>()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const address = email.trim()
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setError('Enter an email address like name@example.com')
      return
    }
    setError(undefined)
    try {
      await invite.mutateAsync(address)
      toast.success(`Invitation sent to ${address}`)
      setEmail('')
    } catch (err) {
      const gap = planFeatureError(err)
      if (gap) setGapDetail(gap.detail)
      else if (!(err instanceof ApiError && err.isServerError)) setError(inviteErrorMessage(err, address))
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="grid grid-cols-1 gap-2" aria-label="Invite a contact">
      <Label htmlFor={id}>Invite contact</Label>
      <div className="flex flex-wrap gap-2">
        <Input
          id={id}
          type="email"
          autoComplete="off"
          placeholder="name@client.com"
          className="min-w-0 flex-1 basis-48"
          value={email}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Button type="submit" disabled={invite.isPending}>
          {invite.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Send invitation
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          They get an email to join as a contact of this client and see only its portal.
        </p>
      )}
      {gapDetail && <UpgradePrompt orgId={orgId} feature="client_portal" detail={gapDetail} compact />}
    </form>
  )
}
