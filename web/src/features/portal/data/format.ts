import { formatMoney } from '@/features/invoices/data/money'
import type { MoneyDue, PortalInvoice } from './types'

/** Share of done tasks as a whole percentage (0 when the project has no tasks yet). */
export function progressPercent(progress: { done: number; total: number }): number {
  if (progress.total <= 0) return 0
  const pct = Math.round((Math.max(0, progress.done) / progress.total) * 100)
  return Math.min(100, pct)
}

/** "3 of 8 tasks done", "No tasks yet". */
export function progressLabel(progress: { done: number; total: number }): string {
  if (progress.total <= 0) return 'No tasks yet'
  return `${progress.done} of ${progress.total} ${progress.total === 1 ? 'task' : 'tasks'} done`
}

const projectStatusLabels: Record<string, string> = {
  planning: 'Planning',
  active: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
}

/** A project status in the client's words. */
export function projectStatusLabel(status: string): string {
  return projectStatusLabels[status] ?? status.replace(/_/g, ' ')
}

/** Whole days from `today` to an ISO date (YYYY-MM-DD, or a timestamp's date part); negative when past. */
export function daysUntil(isoDate: string, today: Date): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate)
  if (!match) return null
  const due = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())
  return Math.round((due - now) / 86_400_000)
}

/** "Due today", "Due tomorrow", "Due in 5 days", "1 day overdue", "12 days overdue". */
export function dueLabel(isoDate: string, today: Date): string {
  const days = daysUntil(isoDate, today)
  if (days === null) return ''
  if (days === 0) return 'Due today'
  if (days === 1) return 'Due tomorrow'
  if (days > 1) return `Due in ${days} days`
  return days === -1 ? '1 day overdue' : `${-days} days overdue`
}

/** A calendar date (YYYY-MM-DD) in the user's locale without shifting it by the time zone. */
export function formatDay(isoDate: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate ?? '')
  if (!match) return ''
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date)
}

/** What is due in every currency, "€1,200.00 + $300.00"; "Nothing due" when every amount is zero. */
export function totalsDueText(totals: MoneyDue[]): string {
  const due = totals.filter((t) => t.amount > 0)
  if (due.length === 0) return 'Nothing due'
  return due.map((t) => formatMoney(t.amount, t.currency)).join(' + ')
}

/** Portal invoice statuses a client may see, in their words. */
const invoiceStatusLabels: Record<string, string> = { sent: 'Awaiting payment', overdue: 'Overdue', paid: 'Paid' }

/** An invoice status as the client reads it. */
export function invoiceStatusLabel(status: string): string {
  return invoiceStatusLabels[status] ?? status
}

/** A request's state for its author: the column it is in, or Done once completed. */
export function requestStatusLabel(task: { status: string; completed_at?: string | null }): string {
  if (task.completed_at) return 'Done'
  return task.status || 'Received'
}

/** File sizes: "512 B", "12 KB", "3.4 MB". */
export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`
  return `${n} B`
}

/** What the listed invoices leave to pay, per currency. */
export function dueByCurrency(invoices: PortalInvoice[]): MoneyDue[] {
  const due = new Map<string, number>()
  for (const invoice of invoices) {
    if (invoice.status === 'paid') continue
    due.set(invoice.currency, (due.get(invoice.currency) ?? 0) + invoice.amount_due)
  }
  return [...due].map(([currency, amount]) => ({ currency, amount }))
}
