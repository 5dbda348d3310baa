import { formatMoney as formatMinorUnits } from '@/features/invoices/data/money'

/** Labels for the limit metrics the API reports. */
export const metricLabels: Record<string, string> = {
  members: 'Members',
  projects: 'Projects',
  clients: 'Clients',
  tasks_per_month: 'Tasks this month',
  comments_per_month: 'Comments this month',
  storage_bytes: 'File storage',
}

/** "1.5 GB" for byte counts, plain numbers otherwise. */
export function formatUsage(metric: string, value: number): string {
  if (metric !== 'storage_bytes') return value.toLocaleString()
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = value
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1).replace(/\.0$/, '')} ${units[i]}`
}

/** Used share of a limit in whole per cent, capped at 100; null when unlimited. */
export function usagePercent(usage: number, limit: number | null | undefined): number | null {
  if (limit === null || limit === undefined || limit <= 0) return null
  return Math.min(100, Math.floor((usage * 100) / limit))
}

/** Whole days left until iso (0 once it passed), counting a started day as one. */
export function daysLeft(iso: string, now: number = Date.now()): number {
  const ms = new Date(iso).getTime() - now
  return ms <= 0 ? 0 : Math.ceil(ms / 86_400_000)
}

/**
 * Money from minor units of a Stripe currency (lower-case "usd", "jpy"): each currency's own exponent
 * (JPY none, KWD three), and negatives such as credits shown with their sign.
 */
export function formatMoney(minor: number, currency: string): string {
  return formatMinorUnits(minor, currency.toUpperCase())
}

/** What a plan's button does: nothing (current plan), Stripe Checkout, the portal, or a direct switch. */
export type PlanAction = 'current' | 'checkout' | 'portal' | 'switch'

/**
 * The action for plan p. Once a Stripe subscription exists another checkout would start a second
 * subscription (the API refuses it), so every plan change goes through the Customer Portal.
 */
export function planAction(
  billing: { mode: string; status: string; has_subscription: boolean; plan: { id: string } },
  planId: string,
): PlanAction {
  if (planId === billing.plan.id && billing.status === 'active') return 'current'
  if (billing.mode !== 'stripe') return 'switch'
  return billing.has_subscription ? 'portal' : 'checkout'
}
