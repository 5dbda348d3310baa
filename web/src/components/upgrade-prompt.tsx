import { SparklesIcon } from 'lucide-react'
import { Link } from 'react-router'
import { ApiError } from '@/api/errors'
import { useMe } from '@/features/auth/data/api'
import { cn } from '@/lib/utils'

/** The plan features the server gates (domain.Feature*). */
export type PlanFeature = 'client_portal' | 'time_tracking' | 'invoices' | 'custom_branding' | 'api_access'

/** What each gated feature is, for people, and the cheapest plan that has it (as domain/plan_feature.go). */
export const planFeatureInfo: Record<PlanFeature, { label: string; what: string; plan: string }> = {
  client_portal: {
    label: 'The client portal',
    what: "A branded space where your clients follow their projects, get shared files, pay invoices and send requests.",
    plan: 'Starter',
  },
  time_tracking: { label: 'Time tracking', what: 'Timers, timesheets and budgets in hours.', plan: 'Starter' },
  invoices: {
    label: 'Invoices',
    what: 'Create, send and track invoices, and let clients pay them online. Invoices you already have stay readable.',
    plan: 'Professional',
  },
  custom_branding: {
    label: 'Custom branding',
    what: 'Your logo, brand colour and sender name on the portal, client emails and invoice PDFs.',
    plan: 'Professional',
  },
  api_access: { label: 'API access', what: 'API keys and outbound webhooks for your own integrations.', plan: 'Professional' },
}

/** Whether a plan's feature list includes f; an unknown list (not reported) counts as yes. */
export function featureAvailable(features: readonly string[] | undefined, f: PlanFeature): boolean {
  return features === undefined || features.includes(f)
}

/**
 * Whether the organization's plan includes a feature, from the membership's `features` in /me. Until /me
 * answers, or while the server does not report features, everything counts as available: the server has the
 * final word and answers 402 plan_feature_unavailable, which screens show with planFeatureError.
 */
export function usePlanFeatures(orgId: string) {
  const { data: me } = useMe()
  const features = me?.memberships.find((m) => m.organization.id === orgId)?.features
  return {
    loaded: me !== undefined,
    has: (feature: PlanFeature) => featureAvailable(features, feature),
  }
}

/** The API's 402 plan_feature_unavailable answer, or null for any other error. */
export function planFeatureError(error: unknown): ApiError | null {
  return error instanceof ApiError && error.code === 'plan_feature_unavailable' ? error : null
}

/**
 * Shown instead of a feature the organization's plan lacks: what the feature is, which plan has it, and a
 * link to the billing page. `detail` replaces the description with the server's own sentence (a 402 answer).
 */
export function UpgradePrompt({
  orgId,
  feature,
  detail,
  compact = false,
  className,
}: {
  orgId: string
  feature: PlanFeature
  detail?: string
  compact?: boolean
  className?: string
}) {
  const info = planFeatureInfo[feature]
  const headingId = `upgrade-${feature}`
  return (
    <section
      aria-labelledby={headingId}
      data-testid={`upgrade-prompt-${feature}`}
      className={cn('grid gap-2 rounded-lg border border-dashed bg-muted/30 p-4 text-sm', compact && 'p-3', className)}
    >
      <h3 id={headingId} className="flex items-center gap-2 font-medium">
        <SparklesIcon aria-hidden="true" className="size-4 shrink-0 text-primary" />
        {info.label} is part of the {info.plan} plan
      </h3>
      <p className="text-muted-foreground">{detail ?? info.what}</p>
      <p>
        <Link to={`/orgs/${orgId}/billing`} className="font-medium text-primary underline-offset-4 hover:underline">
          See plans and upgrade
        </Link>
      </p>
    </section>
  )
}
