import { AlertCircleIcon } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useSearchParams } from 'react-router'
import { toast } from 'sonner'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { googleLinkPath } from '@/features/auth/data/external-sign-in'
import { formatDate, formatDateTime } from '@/lib/format'
import { useLinkedIdentities, useUnlinkGoogle } from '../data/identities'

/**
 * Other ways the user signs in: a linked Google account (link or unlink) and the organizations whose IdP
 * signed them in. Linking comes back here with ?linked=google or ?sso_error=.
 */
export function LinkedIdentitiesCard() {
  const identities = useLinkedIdentities()
  const unlink = useUnlinkGoogle()
  const [params, setParams] = useSearchParams()
  const [linkError] = useState(() => params.get('sso_error'))
  const [confirmUnlink, setConfirmUnlink] = useState(false)

  useEffect(() => {
    if (params.get('linked') === 'google') toast.success('Google account linked', { id: 'google-linked' })
    if (params.has('linked') || params.has('sso_error')) {
      const rest = new URLSearchParams(params)
      rest.delete('linked')
      rest.delete('sso_error')
      setParams(rest, { replace: true })
    }
    // Once, for the answer the page was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const google = identities.data?.google
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Linked identities</CardTitle>
        <CardDescription>Other ways you sign in to ClientFlow.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {linkError && (
          <Alert variant="destructive">
            <AlertCircleIcon aria-hidden="true" />
            <AlertTitle>Couldn't link the account</AlertTitle>
            <AlertDescription className="[overflow-wrap:anywhere]">{linkError}</AlertDescription>
          </Alert>
        )}
        {identities.isPending && <Skeleton className="h-20 w-full" aria-label="Loading linked identities" />}
        {identities.isError && (
          <Alert variant="destructive">
            <AlertCircleIcon aria-hidden="true" />
            <AlertTitle>Couldn't load your linked identities</AlertTitle>
            <AlertDescription>
              <Button variant="outline" size="sm" onClick={() => void identities.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {identities.data && (
          <>
            <section aria-labelledby="google-identity" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border p-4">
              <div className="grid min-w-0 gap-0.5">
                <h2 id="google-identity" className="text-sm font-medium">
                  Google
                </h2>
                <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">
                  {google
                    ? `${google.email}, linked since ${formatDate(google.linked_at)}`
                    : identities.data.google_available
                      ? 'Not linked. Link it to sign in with Google.'
                      : 'Sign in with Google is not available on this server.'}
                </p>
              </div>
              {google ? (
                <Button variant="outline" onClick={() => setConfirmUnlink(true)}>
                  Unlink Google
                </Button>
              ) : (
                identities.data.google_available && (
                  <Button asChild variant="outline">
                    <a href={googleLinkPath}>Link Google account</a>
                  </Button>
                )
              )}
            </section>
            <section aria-labelledby="sso-identities" className="grid gap-2">
              <h2 id="sso-identities" className="text-sm font-medium">
                Single sign-on
              </h2>
              {identities.data.sso.length === 0 ? (
                <p className="text-sm text-muted-foreground">No organization has signed you in through its identity provider.</p>
              ) : (
                <ul className="grid gap-2">
                  {identities.data.sso.map((s) => (
                    <li key={s.organization_id} className="grid gap-0.5 rounded-lg border p-3 text-sm">
                      <span className="font-medium [overflow-wrap:anywhere]">{s.organization_name}</span>
                      <span className="text-muted-foreground [overflow-wrap:anywhere]">
                        {s.email} · last signed in {formatDateTime(s.last_seen_at)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </CardContent>
      <ConfirmDeleteDialog
        open={confirmUnlink}
        onOpenChange={setConfirmUnlink}
        title="Unlink your Google account?"
        description="You can no longer sign in with Google until you link it again. Your password and other sign-ins stay."
        confirmLabel="Unlink Google"
        onConfirm={() =>
          deleteWithFeedback(() => unlink.mutateAsync(), {
            deleted: 'Google account unlinked',
            gone: 'The Google account was already unlinked',
            failed: "Couldn't unlink the Google account",
          })
        }
      />
    </Card>
  )
}
