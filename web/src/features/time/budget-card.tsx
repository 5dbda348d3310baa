import { AlertCircleIcon } from 'lucide-react'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { cn } from '@/lib/utils'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useProjectBudget, type ProjectBudgetBurn } from './data/api'
import { formatMinutes } from './data/schema'

/** Budget burn of one project: time and money used against the budget. Import it on a project overview. */
export function BudgetCard({ orgId, projectId }: { orgId: string; projectId: string }) {
  const canRead = useOrgPermissions(orgId).can('time.read')
  const budget = useProjectBudget(orgId, projectId)
  if (!canRead) return null
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Budget</CardTitle>
        <CardDescription>Time logged against this project's budget.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {budget.isPending && <Skeleton className="h-16" aria-label="Loading budget" />}
        {budget.isError && (
          <p className="flex items-center gap-2 text-sm text-destructive" role="alert">
            <AlertCircleIcon className="size-4" aria-hidden="true" />
            The budget could not be loaded.
          </p>
        )}
        {budget.data && <BudgetDetails b={budget.data} />}
      </CardContent>
    </Card>
  )
}

function BudgetDetails({ b }: { b: ProjectBudgetBurn }) {
  const money = (minor: number) =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency: b.budget_currency ?? 'USD' }).format(minor / 100)
  const noBudget = b.budget_minutes === null && b.budget_amount === null
  return (
    <>
      {b.budget_minutes !== null && (
        <Meter
          label="Time"
          used={`${formatMinutes(b.logged_minutes)} of ${formatMinutes(b.budget_minutes)}`}
          percent={b.percent_minutes_used}
        />
      )}
      {b.budget_amount !== null && (
        <Meter
          label="Money"
          used={b.billable_amount !== null ? `${money(b.billable_amount)} of ${money(b.budget_amount)}` : `No hourly rate; budget ${money(b.budget_amount)}`}
          percent={b.percent_amount_used}
        />
      )}
      <dl className="grid grid-cols-2 gap-2 text-sm">
        <dt className="text-muted-foreground">Logged</dt>
        <dd>{formatMinutes(b.logged_minutes)}</dd>
        <dt className="text-muted-foreground">Billable</dt>
        <dd>{formatMinutes(b.billable_minutes)}</dd>
      </dl>
      {noBudget && <p className="text-sm text-muted-foreground">This project has no budget set.</p>}
    </>
  )
}

function Meter({ label, used, percent }: { label: string; used: string; percent: number | null }) {
  const value = percent ?? 0
  return (
    <div className="grid gap-1">
      <div className="flex justify-between text-sm">
        <span className="font-medium">{label}</span>
        <span className="text-muted-foreground">{used}</span>
      </div>
      <div
        role="progressbar"
        aria-label={`${label} budget used`}
        aria-valuenow={Math.round(value)}
        aria-valuemin={0}
        aria-valuemax={100}
        className="h-2 overflow-hidden rounded bg-muted"
      >
        <div className={cn('h-full bg-primary', value > 100 && 'bg-destructive')} style={{ width: `${Math.min(value, 100)}%` }} />
      </div>
      {percent !== null && <span className="text-xs text-muted-foreground">{percent}% used</span>}
    </div>
  )
}
