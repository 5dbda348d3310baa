import { AlertCircleIcon, CheckCircle2Icon, XCircleIcon } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useParams, useSearchParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useTitle } from '@/lib/use-title'
import { ClaimedDomainsCard } from './components/claimed-domains-card'
import { IPAllowlistCard } from './components/ip-allowlist-card'
import { RequireSSOCard } from './components/require-sso-card'
import { SettingsHeader } from './components/settings-header'
import { SSOConnectionCard } from './components/sso-connection-card'
import { useSecuritySettings } from './data/security'
import { sameOriginOpener, ssoTestResultFromSearch, withoutSSOTestParams, type SSOTestResult } from './data/sso-test-popup'
import { useSSOTest } from './data/use-sso-test'

/**
 * /orgs/:orgId/settings/security — SSO connection, claimed domains, Require SSO and the IP allowlist (sso.manage).
 * The IdP's test round trip also ends here: in the popup that ran it, the page hands the result to its opener
 * and closes; without a popup (it was blocked) the page shows the result itself.
 */
export function SecurityPage() {
  useTitle('Security settings')
  const { orgId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const [fromUrl] = useState(() => ssoTestResultFromSearch(params, orgId))
  const [opener] = useState(() => (fromUrl ? sameOriginOpener(window) : null))

  useEffect(() => {
    if (!fromUrl) return
    if (opener) {
      opener.postMessage(fromUrl, window.location.origin)
      window.close()
    } else {
      setParams(withoutSSOTestParams(params), { replace: true })
    }
    // Once, for the result the page was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  if (fromUrl && opener) return <PopupDone result={fromUrl} />
  return <SecuritySettingsView orgId={orgId} initialTest={fromUrl} />
}

function SecuritySettingsView({ orgId, initialTest }: { orgId: string; initialTest: SSOTestResult | null }) {
  const { loaded, can } = useOrgPermissions(orgId)
  const settings = useSecuritySettings(orgId)
  const test = useSSOTest(orgId, initialTest)

  if (loaded && !can('sso.manage')) return <NoAccess what="the organization's sign-in security" />
  return (
    <div className="mx-auto flex w-full max-w-4xl min-w-0 flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <SettingsHeader orgId={orgId} description="How your people sign in: single sign-on, claimed email domains and the networks allowed in." />
      {settings.isPending && (
        <div className="grid gap-6" aria-label="Loading security settings">
          <Skeleton className="h-72 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
      )}
      {settings.isError && (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>Couldn't load the security settings</AlertTitle>
          <AlertDescription>
            <Button variant="outline" size="sm" onClick={() => void settings.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      )}
      {settings.data && (
        <>
          <SSOConnectionCard key={settings.data.connection?.updated_at ?? 'none'} orgId={orgId} settings={settings.data} test={test} />
          <ClaimedDomainsCard orgId={orgId} domains={settings.data.domains} />
          <RequireSSOCard orgId={orgId} settings={settings.data} />
          <IPAllowlistCard key={JSON.stringify(settings.data.allowlist)} orgId={orgId} settings={settings.data} />
        </>
      )}
    </div>
  )
}

/** What the popup shows for the moment before it closes (or if the browser refuses to close it). */
function PopupDone({ result }: { result: SSOTestResult }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-6 py-24 text-center">
      {result.ok ? <CheckCircle2Icon className="size-10 text-success" aria-hidden="true" /> : <XCircleIcon className="size-10 text-destructive" aria-hidden="true" />}
      <h1 className="text-xl font-semibold">{result.ok ? 'Test sign-in succeeded' : 'Test sign-in failed'}</h1>
      <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">{result.ok ? `Signed in as ${result.email}.` : result.error}</p>
      <p className="text-sm text-muted-foreground">You can close this window.</p>
    </div>
  )
}
