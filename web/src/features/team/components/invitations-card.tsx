import { AlertCircleIcon, MailIcon } from 'lucide-react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Invitation } from '@/api/types'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDate } from '@/lib/format'
import { useInvitations, useResendInvitation, useRevokeInvitation } from '../data/api'
import { roleLabels } from '../data/schema'

/** Pending invitations; with members.manage each can be resent (new link, same expiry) or revoked. */
export function InvitationsCard({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const invitations = useInvitations(orgId)
  const rows = invitations.data?.data ?? []
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Pending invitations</CardTitle>
        <CardDescription>Invitations expire 7 days after they were sent; resending keeps that date.</CardDescription>
      </CardHeader>
      <CardContent>
        {invitations.isPending && <Skeleton className="h-10 w-full" aria-label="Loading invitations" />}
        {invitations.isError && (
          <Alert variant="destructive">
            <AlertCircleIcon aria-hidden="true" />
            <AlertTitle>Couldn't load the invitations</AlertTitle>
            <AlertDescription>
              <Button variant="outline" size="sm" onClick={() => void invitations.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {invitations.isSuccess && rows.length === 0 && <p className="text-sm text-muted-foreground">No pending invitations.</p>}
        {rows.length > 0 && (
          <ul aria-label="Pending invitations" className="divide-y">
            {rows.map((invitation) => (
              <InvitationRow key={invitation.id} orgId={orgId} invitation={invitation} canManage={canManage} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

function InvitationRow({ orgId, invitation, canManage }: { orgId: string; invitation: Invitation; canManage: boolean }) {
  const resend = useResendInvitation(orgId)
  const revoke = useRevokeInvitation(orgId)

  const run = async (action: 'resend' | 'revoke') => {
    try {
      if (action === 'resend') await resend.mutateAsync(invitation.id)
      else await revoke.mutateAsync(invitation.id)
      toast.success(action === 'resend' ? `Invitation sent again to ${invitation.email}` : `Invitation to ${invitation.email} revoked`)
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error(`Couldn't ${action} the invitation`, { description: error.detail })
    }
  }

  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <MailIcon className="size-4 text-muted-foreground" aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <div className="truncate font-medium">{invitation.email}</div>
        <div className="text-xs text-muted-foreground">
          {roleLabels[invitation.role]} · expires {formatDate(invitation.expires_at)}
        </div>
      </div>
      {canManage && (
        <div className="flex gap-1">
          <Button variant="ghost" size="sm" disabled={resend.isPending} aria-label={`Resend invitation to ${invitation.email}`} onClick={() => void run('resend')}>
            Resend
          </Button>
          <Button
            variant="ghost"
            size="sm"
            className="text-muted-foreground hover:text-destructive"
            disabled={revoke.isPending}
            aria-label={`Revoke invitation to ${invitation.email}`}
            onClick={() => void run('revoke')}
          >
            Revoke
          </Button>
        </div>
      )}
    </li>
  )
}
