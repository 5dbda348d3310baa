import { AlertCircleIcon, Loader2Icon } from 'lucide-react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { InvitationPreview } from '@/api/types'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { roleLabels } from '@/features/team/data/schema'
import { useTitle } from '@/lib/use-title'
import { useAcceptInvitation, useInvitationPreview, useOptionalMe } from './data/api'

/**
 * /invitations/accept?token= — public: shows who invited whom to what, then offers sign-in or sign-up with
 * the invited address (coming back here afterwards) or, when signed in, accepting.
 */
export function AcceptInvitationPage() {
  useTitle('Invitation')
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const preview = useInvitationPreview(token)

  return (
    <AuthLayout title="Join an organization" description="You were invited to work together on ClientFlow.">
      {preview.isPending && token !== '' && <Skeleton className="h-32 w-full" aria-label="Loading the invitation" />}
      {(token === '' || preview.isError) && (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>This invitation link doesn't work</AlertTitle>
          <AlertDescription>It may be incomplete or replaced by a newer one. Ask for a new invitation.</AlertDescription>
        </Alert>
      )}
      {preview.data && <InvitationDetails token={token} invitation={preview.data} />}
    </AuthLayout>
  )
}

function InvitationDetails({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const me = useOptionalMe()
  const here = `/invitations/accept?${new URLSearchParams({ token })}`
  const authQuery = new URLSearchParams({ next: here, email: invitation.email }).toString()

  return (
    <div className="grid gap-4">
      <p className="text-sm">
        <strong>{invitation.inviter_name || 'Someone'}</strong> invited <strong>{invitation.email}</strong> to join{' '}
        <strong>{invitation.organization_name}</strong> as {roleLabels[invitation.role].toLowerCase()}.
      </p>
      {invitation.status !== 'pending' ? (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>This invitation is {invitation.status}</AlertTitle>
          <AlertDescription>Ask {invitation.inviter_name || 'the organization'} to invite you again.</AlertDescription>
        </Alert>
      ) : me.data ? (
        <AcceptButton token={token} invitedEmail={invitation.email} signedInEmail={me.data.user.email} />
      ) : me.isPending ? (
        <Skeleton className="h-9 w-full" />
      ) : (
        <div className="grid gap-2">
          <Button asChild>
            <Link to={`/sign-up?${authQuery}`}>Create an account to accept</Link>
          </Button>
          <Button asChild variant="outline">
            <Link to={`/sign-in?${authQuery}`}>I already have an account</Link>
          </Button>
        </div>
      )}
    </div>
  )
}

function AcceptButton({ token, invitedEmail, signedInEmail }: { token: string; invitedEmail: string; signedInEmail: string }) {
  const accept = useAcceptInvitation()
  const navigate = useNavigate()

  if (signedInEmail !== invitedEmail) {
    return (
      <Alert>
        <AlertCircleIcon aria-hidden="true" />
        <AlertTitle>You're signed in as {signedInEmail}</AlertTitle>
        <AlertDescription>This invitation is for {invitedEmail}. Sign out and sign in or sign up with that address to accept it.</AlertDescription>
      </Alert>
    )
  }

  const onAccept = async () => {
    try {
      const joined = await accept.mutateAsync(token)
      toast.success('Welcome aboard')
      // A client contact joins the organization's client portal, not its workspace.
      await navigate(joined.role === 'client' ? `/client-portal/${joined.organization_id}` : `/orgs/${joined.organization_id}`, { replace: true })
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't accept the invitation", { description: error.detail })
    }
  }

  return (
    <Button disabled={accept.isPending} onClick={() => void onAccept()}>
      {accept.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
      Accept invitation
    </Button>
  )
}
