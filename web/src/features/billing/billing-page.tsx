import { AlertCircleIcon, CheckIcon } from 'lucide-react'
import { useParams } from 'react-router'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { NoAccess } from '@/components/no-access'
import { canSeeBilling } from '@/components/layout/nav'
import { useMe } from '@/features/auth/data/api'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { type Billing, type Plan, useBilling, useChangePlan, useCheckout, usePlans, usePortal, useRequestUpgrade, useStripeInvoices } from './data/api'
import { daysLeft, formatMoney, formatUsage, metricLabels, type PlanAction, planAction, usagePercent } from './data/format'

const statusLabels: Record<Billing['status'], string> = {
  trialing: 'Trial',
  active: 'Active',
  past_due: 'Payment overdue',
  canceled: 'Canceled',
  restricted: 'Read-only',
}

/** /orgs/:orgId/billing — the plan, trial countdown, usage meters, plan choice and Stripe's invoices. */
export function BillingPage() {
  useTitle('Billing')
  const { orgId = '' } = useParams()
  const { data: me } = useMe()
  const permissions = me?.memberships.find((m) => m.organization.id === orgId)?.permissions
  const canManage = permissions?.includes('billing.manage') ?? false
  const allowed = permissions === undefined || canSeeBilling(permissions)
  const billing = useBilling(orgId, allowed)
  const plans = usePlans()
  if (!allowed) return <NoAccess what="this organization's plan and billing" />

  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        <p className="text-sm text-muted-foreground">Your plan, what you use of it, and payments.</p>
      </div>
      {billing.isPending && <Skeleton className="h-40 w-full" />}
      {billing.isError && (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>Couldn't load billing</AlertTitle>
          <AlertDescription>
            <Button variant="outline" size="sm" onClick={() => void billing.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      )}
      {billing.data && (
        <>
          <CurrentPlanCard orgId={orgId} billing={billing.data} canManage={canManage} />
          <UsageCard billing={billing.data} />
          <PlansCard orgId={orgId} billing={billing.data} plans={plans.data ?? []} canManage={canManage} />
          {billing.data.mode === 'stripe' && canManage && <InvoicesCard orgId={orgId} />}
        </>
      )}
    </div>
  )
}

function CurrentPlanCard({ orgId, billing, canManage }: { orgId: string; billing: Billing; canManage: boolean }) {
  const portal = usePortal(orgId)
  const trialing = billing.status === 'trialing' && billing.trial_ends_at
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-lg">
          {billing.plan.name}
          <Badge variant={billing.writable ? 'secondary' : 'outline'}>{statusLabels[billing.status]}</Badge>
        </CardTitle>
        <CardDescription>
          {billing.mode === 'self_hosted'
            ? 'Self-hosted: no payment provider is configured, so an owner picks the plan here directly.'
            : 'Payments are handled by Stripe.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        {trialing && billing.trial_ends_at && (
          <p data-testid="trial-countdown">
            <strong>{daysLeft(billing.trial_ends_at)} days</strong> left in your trial (ends {formatDate(billing.trial_ends_at)}).
          </p>
        )}
        {!billing.writable && <p className="text-destructive">This organization is read-only until a plan is paid.</p>}
        {billing.current_period_end && (
          <p>
            {billing.cancel_at_period_end ? 'Cancels' : 'Renews'} on {formatDate(billing.current_period_end)}.
          </p>
        )}
        {billing.mode === 'stripe' && canManage && billing.has_payment_account && (
          <div>
            <Button variant="outline" disabled={portal.isPending} onClick={() => portal.mutate()}>
              Manage payment
            </Button>
          </div>
        )}
      </CardContent>
    </Card>
  )
}

function UsageCard({ billing }: { billing: Billing }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Usage</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {billing.usage.map((m) => {
          const pct = usagePercent(m.usage, m.limit)
          return (
            <div key={m.metric} className="grid gap-1">
              <div className="flex justify-between text-sm">
                <span>{metricLabels[m.metric] ?? m.metric}</span>
                <span className="text-muted-foreground">
                  {formatUsage(m.metric, m.usage)} / {m.limit === null ? 'unlimited' : formatUsage(m.metric, m.limit)}
                </span>
              </div>
              {pct !== null && (
                <div
                  role="meter"
                  aria-label={metricLabels[m.metric] ?? m.metric}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={pct}
                  className="h-2 overflow-hidden rounded bg-muted"
                >
                  <div
                    className={pct >= 100 ? 'h-full bg-destructive' : pct >= 80 ? 'h-full bg-amber-500' : 'h-full bg-primary'}
                    style={{ width: `${pct}%` }}
                  />
                </div>
              )}
            </div>
          )
        })}
      </CardContent>
    </Card>
  )
}

function PlansCard({ orgId, billing, plans, canManage }: { orgId: string; billing: Billing; plans: Plan[]; canManage: boolean }) {
  const changePlan = useChangePlan(orgId)
  const checkout = useCheckout(orgId)
  const portal = usePortal(orgId)
  const requestUpgrade = useRequestUpgrade(orgId)
  const busy = changePlan.isPending || checkout.isPending || portal.isPending
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Plans</CardTitle>
        {!canManage && <CardDescription>Only members who manage billing can change the plan; you can ask them.</CardDescription>}
      </CardHeader>
      <CardContent className="grid gap-4 sm:grid-cols-2">
        {plans.map((p) => (
          <div key={p.id} className="grid gap-3 rounded-lg border p-4">
            <div className="flex items-baseline justify-between">
              <h2 className="font-semibold">{p.name}</h2>
              <span className="text-sm">{formatMoney(p.price_monthly, p.currency)} / month</span>
            </div>
            <ul className="grid gap-1 text-sm text-muted-foreground">
              {p.features.map((f) => (
                <li key={f} className="flex items-center gap-2">
                  <CheckIcon className="size-3" aria-hidden="true" />
                  {f.replaceAll('_', ' ')}
                </li>
              ))}
            </ul>
            {planAction(billing, p.id) === 'current' ? (
              <Badge variant="secondary">Current plan</Badge>
            ) : canManage ? (
              <PlanButton
                action={planAction(billing, p.id)}
                plan={p}
                disabled={busy}
                onCheckout={() => checkout.mutate(p.id)}
                onPortal={() => portal.mutate()}
                onSwitch={() => changePlan.mutate(p.id)}
              />
            ) : (
              <Button
                variant="outline"
                disabled={requestUpgrade.isPending || requestUpgrade.isSuccess}
                onClick={() => requestUpgrade.mutate(`Please move us to ${p.name}.`)}
              >
                {requestUpgrade.isSuccess ? 'Owners asked' : 'Ask the owner'}
              </Button>
            )}
          </div>
        ))}
      </CardContent>
    </Card>
  )
}

/** The manager's button for a plan that is not the current one. */
function PlanButton({ action, plan, disabled, onCheckout, onPortal, onSwitch }: {
  action: PlanAction
  plan: Plan
  disabled: boolean
  onCheckout: () => void
  onPortal: () => void
  onSwitch: () => void
}) {
  if (action === 'portal') {
    return (
      <Button variant="outline" disabled={disabled} onClick={onPortal}>
        Manage in portal
      </Button>
    )
  }
  if (action === 'checkout') {
    return (
      <Button disabled={disabled} onClick={onCheckout}>
        Upgrade to {plan.name}
      </Button>
    )
  }
  return (
    <Button disabled={disabled} onClick={onSwitch}>
      Switch to {plan.name}
    </Button>
  )
}

function InvoicesCard({ orgId }: { orgId: string }) {
  const invoices = useStripeInvoices(orgId, true)
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Invoices</CardTitle>
      </CardHeader>
      <CardContent>
        {invoices.isPending && <Skeleton className="h-16 w-full" />}
        {invoices.data?.length === 0 && <p className="text-sm text-muted-foreground">No invoices yet.</p>}
        <ul className="grid gap-2 text-sm">
          {invoices.data?.map((inv) => (
            <li key={inv.id} className="flex items-center justify-between gap-2">
              <span>
                {formatDate(inv.created)} · {inv.number || inv.id}
              </span>
              <span className="flex items-center gap-3">
                <Badge variant="secondary">{inv.status}</Badge>
                {formatMoney(inv.amount_due, inv.currency)}
                {inv.hosted_invoice_url && (
                  <a href={inv.hosted_invoice_url} target="_blank" rel="noreferrer" className="underline underline-offset-4">
                    View
                  </a>
                )}
              </span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}
