import { useQuery } from '@tanstack/react-query'
import { ArrowLeftIcon, KeyRoundIcon, WebhookIcon } from 'lucide-react'
import { lazy, Suspense, type ReactNode } from 'react'
import { Link } from 'react-router'
import { api } from '@/api/client'
import { Logo } from '@/components/layout/logo'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { homePath, preferredOrgId } from '@/lib/last-org'
import { signInPath } from '@/lib/redirect'
import { ReferenceBoundary } from './reference-boundary'
import { ReferenceCodeBlock } from './reference-code-block'
import { openAPIURL } from './reference-path'
import { ReferenceSnippets } from './reference-snippets'

// The renderer is hundreds of kilobytes: it loads after the guide, in chunks of its own.
const ReferenceViewer = lazy(() => import('./reference-viewer'))

/**
 * Who is reading, if anyone: the page is public, so a signed-out visitor is normal and must not be sent to
 * sign-in (the app's query policy does that for a 401, so this query answers null instead of failing).
 */
function useOptionalViewer() {
  return useQuery({
    queryKey: ['developer', 'viewer'],
    queryFn: async ({ signal }) => {
      const { data, response } = await api.GET('/api/v1/me', { signal })
      return response.ok && data ? data : null
    },
    staleTime: 60_000,
    retry: false,
  })
}

/**
 * The /developer page's content: a header with the way back to the app, getting started with keys and
 * webhooks, signature checks in Go and Node, then the full API reference. Loaded on demand (see DeveloperPage).
 */
export default function ReferenceGuide() {
  const viewer = useOptionalViewer().data ?? null
  const memberships = viewer?.memberships ?? []
  const orgId = preferredOrgId(memberships)
  const membership = memberships.find((m) => m.organization.id === orgId)
  const staff = membership && membership.role !== 'client' ? membership : undefined
  const origin = window.location.origin

  return (
    <div className="min-h-full bg-background">
      <header className="border-b">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          <Link to={viewer ? homePath(memberships) : '/'} className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring">
            <Logo />
          </Link>
          <span className="text-sm text-muted-foreground">Developers</span>
          <nav aria-label="Developer" className="ml-auto flex flex-wrap items-center gap-1">
            {staff?.permissions.includes('api_keys.manage') && (
              <Button variant="ghost" size="sm" asChild>
                <Link to={`/orgs/${staff.organization.id}/api-keys`}>
                  <KeyRoundIcon aria-hidden="true" />
                  API keys
                </Link>
              </Button>
            )}
            {staff?.permissions.includes('webhooks.manage') && (
              <Button variant="ghost" size="sm" asChild>
                <Link to={`/orgs/${staff.organization.id}/webhooks`}>
                  <WebhookIcon aria-hidden="true" />
                  Webhooks
                </Link>
              </Button>
            )}
            {viewer ? (
              <Button variant="outline" size="sm" asChild>
                <Link to={homePath(memberships)}>
                  <ArrowLeftIcon aria-hidden="true" />
                  Back to the app
                </Link>
              </Button>
            ) : (
              <Button variant="outline" size="sm" asChild>
                <Link to={signInPath('/developer')}>Sign in</Link>
              </Button>
            )}
          </nav>
        </div>
      </header>

      <main>
        <div className="mx-auto grid max-w-5xl grid-cols-1 gap-10 px-4 py-8 sm:px-6">
          <div className="grid grid-cols-1 gap-2">
            <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">ClientFlow API</h1>
            <p className="max-w-3xl text-muted-foreground">
              Script your agency's work and connect your tools: every screen of ClientFlow runs on this API. Call it with an API key, receive
              signed webhooks when things change, and find every route, field and event below.
            </p>
            <nav aria-label="On this page" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
              <a className="text-primary underline-offset-4 hover:underline" href="#getting-started">
                Getting started
              </a>
              <a className="text-primary underline-offset-4 hover:underline" href="#verify-signatures">
                Verify webhook signatures
              </a>
              <a className="text-primary underline-offset-4 hover:underline" href="#reference">
                API reference
              </a>
              <a className="text-primary underline-offset-4 hover:underline" href={openAPIURL}>
                OpenAPI document
              </a>
            </nav>
          </div>

          <Section id="getting-started" title="Getting started">
            <ol className="grid grid-cols-1 gap-6">
              <li className="grid grid-cols-1 gap-2">
                <Step n={1}>Create an API key</Step>
                <p className="text-sm text-muted-foreground">
                  {staff?.permissions.includes('api_keys.manage') ? (
                    <>
                      Open{' '}
                      <Link className="text-primary underline-offset-4 hover:underline" to={`/orgs/${staff.organization.id}/api-keys`}>
                        API keys
                      </Link>{' '}
                      in {staff.organization.name}
                    </>
                  ) : (
                    <>In your organization, open API keys (you need the “Manage API keys” permission)</>
                  )}
                  , give the key a name and an expiry, and narrow its permissions if the script needs fewer than yours. Copy the key when it
                  is shown: we keep only a fingerprint and cannot show it again. API access is part of the Professional plan and above.
                </p>
              </li>
              <li className="grid grid-cols-1 gap-2">
                <Step n={2}>Make your first call</Step>
                <p className="text-sm text-muted-foreground">
                  A key works on its own organization's routes, <code className="font-mono text-xs">/api/v1/orgs/{'{org_id}'}/…</code>
                  {orgId ? '' : ' (the id is in the app’s address: /orgs/<id>/…)'}. List the five newest clients:
                </p>
                <ReferenceCodeBlock
                  label="First call with curl"
                  code={[
                    'export CLIENTFLOW_API_KEY=cf_live_…   # the key you copied',
                    `curl "${origin}/api/v1/orgs/${staff?.organization.id ?? '$ORG_ID'}/clients?limit=5" \\`,
                    '  -H "Authorization: Bearer $CLIENTFLOW_API_KEY"',
                  ].join('\n')}
                />
                <p className="text-sm text-muted-foreground">
                  Lists answer <code className="font-mono text-xs">{'{"data": [...], "next_cursor": ...}'}</code>: pass{' '}
                  <code className="font-mono text-xs">next_cursor</code> back as <code className="font-mono text-xs">cursor</code> for the next
                  page. Send an <code className="font-mono text-xs">Idempotency-Key</code> header with creates that support it, so a retry never
                  creates twice. Errors are <code className="font-mono text-xs">application/problem+json</code> with a stable{' '}
                  <code className="font-mono text-xs">code</code>; each key may make 120 requests a minute.
                </p>
              </li>
              <li className="grid grid-cols-1 gap-2">
                <Step n={3}>Receive webhooks</Step>
                <p className="text-sm text-muted-foreground">
                  {staff?.permissions.includes('webhooks.manage') ? (
                    <>
                      On{' '}
                      <Link className="text-primary underline-offset-4 hover:underline" to={`/orgs/${staff.organization.id}/webhooks`}>
                        Webhooks
                      </Link>
                      , add
                    </>
                  ) : (
                    <>On your organization's Webhooks page, add</>
                  )}{' '}
                  your endpoint's URL and the events it wants, keep the signing secret (<code className="font-mono text-xs">whsec_…</code>,
                  shown once), then press <strong>Send test</strong>: a signed <code className="font-mono text-xs">ping</code> arrives and the
                  result shows at once. Each delivery is retried after 1, 2 and 4 seconds until your endpoint answers 2xx, and the delivery log
                  lets you replay any of them.
                </p>
              </li>
            </ol>
          </Section>

          <Section id="verify-signatures" title="Verify webhook signatures">
            <div className="grid grid-cols-1 gap-2 text-sm text-muted-foreground">
              <p>
                Every delivery carries{' '}
                <code className="font-mono text-xs">X-ClientFlow-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where{' '}
                <code className="font-mono text-xs">v1</code> is the HMAC-SHA256 of <code className="font-mono text-xs">&lt;t&gt;.&lt;raw body&gt;</code>{' '}
                keyed with your endpoint's whole secret. Check it against the bytes you received, before parsing them; refuse timestamps more than
                five minutes away, which stops replays; and de-duplicate on the event's <code className="font-mono text-xs">id</code>, which stays
                the same when a delivery is retried or replayed. While a rotated secret is in its grace period, the header carries one{' '}
                <code className="font-mono text-xs">v1</code> per secret and either one verifies.
              </p>
              <p>This code runs in our CI against the signer that signs real deliveries. Copy it as it is:</p>
            </div>
            <ReferenceSnippets />
          </Section>

          <section id="reference" aria-labelledby="reference-title" className="grid scroll-mt-4 gap-4">
            <div className="grid gap-1">
              <h2 id="reference-title" className="text-xl font-semibold tracking-tight">
                API reference
              </h2>
              <p className="text-sm text-muted-foreground">
                Authentication, rate limits, errors, pagination, idempotency, webhooks, then every route and every event's payload. Generated from
                the running server.
              </p>
            </div>
          </section>
        </div>
        {/* Full width: the renderer brings its own sidebar and columns. */}
        <div className="border-t">
          <ReferenceBoundary what="the API reference">
            <Suspense
              fallback={
                <div className="mx-auto grid max-w-5xl gap-3 px-4 py-8 sm:px-6" role="status" aria-busy="true" aria-label="Loading the API reference">
                  <Skeleton className="h-8 w-64" />
                  <Skeleton className="h-96 w-full" />
                </div>
              }
            >
              <ReferenceViewer />
            </Suspense>
          </ReferenceBoundary>
        </div>
      </main>
    </div>
  )
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="grid scroll-mt-4 grid-cols-1 gap-4">
      <h2 id={`${id}-title`} className="text-xl font-semibold tracking-tight">
        {title}
      </h2>
      {children}
    </section>
  )
}

/** A numbered step's heading; the number is drawn, the list itself gives screen readers the order. */
function Step({ n, children }: { n: number; children: ReactNode }) {
  return (
    <h3 className="flex items-center gap-2 font-medium">
      <span aria-hidden="true" className="grid size-6 shrink-0 place-items-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
        {n}
      </span>
      {children}
    </h3>
  )
}
