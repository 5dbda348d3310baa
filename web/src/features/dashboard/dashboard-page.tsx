import { AlertCircleIcon } from 'lucide-react'
import { lazy, Suspense, useState, type ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { ActivityList } from '@/features/projects/components/activity-list'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { formatMoney, projectStatusLabels, type ProjectStatus } from '@/features/projects/data/schema'
import { useClientOptions } from '@/features/dashboard/data/clients'
import { useUrlFilters } from '@/lib/list-state'
import { useDebouncedValue } from '@/lib/use-debounced-value'
import { useTitle } from '@/lib/use-title'
import { dashboardPeriods, monthLabel, parsePeriod, useDashboard, type Dashboard } from './data/api'

// Recharts is large: the charts come in their own chunk, after the figures.
const Bars = lazy(() => import('./components/charts'))

type Query = ReturnType<typeof useDashboard>

/** /orgs/:orgId/dashboard — the organization's home: key figures, charts and recent activity (?client_id=, ?months=). */
export function DashboardPage() {
  useTitle('Dashboard')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const { params, setFilter } = useUrlFilters()
  const clientId = params.get('client_id') ?? undefined
  const months = parsePeriod(params.get('months'))
  const canRead = !permissions.loaded || permissions.can('projects.read')
  const dashboard = useDashboard(orgId, clientId, months)
  if (!canRead) return <NoAccess what="this organization's dashboard" />

  const base = `/orgs/${orgId}`
  const projectsLink = (status?: string) => {
    const q = new URLSearchParams()
    if (status) q.set('status', status)
    if (clientId) q.set('client_id', clientId)
    const s = q.toString()
    return `${base}/projects${s ? `?${s}` : ''}`
  }
  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-muted-foreground">
            {dashboard.data ? `From ${dashboard.data.from} to ${dashboard.data.to} (UTC), counting what you can see.` : 'Counting what you can see.'}
          </p>
        </div>
        <div className="flex flex-col gap-2 sm:flex-row">
          {permissions.can('clients.read') && <ClientFilter orgId={orgId} clientId={clientId} onChange={(id) => setFilter('client_id', id)} />}
          <NativeSelect aria-label="Period" className="sm:w-40" value={String(months)} onChange={(e) => setFilter('months', e.target.value === '6' ? undefined : e.target.value)}>
            {dashboardPeriods.map((n) => (
              <option key={n} value={n}>
                Last {n} months
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>

      <section aria-label="Key figures" className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Kpi query={dashboard} label="Clients" to={clientId ? `${base}/clients/${clientId}` : `${base}/clients`} value={(d) => d.total_clients} />
        <Kpi query={dashboard} label="Active projects" to={projectsLink('active')} value={(d) => d.active_projects} />
        <Kpi query={dashboard} label="Completed projects" to={projectsLink('completed')} value={(d) => d.completed_projects} />
        <Kpi query={dashboard} label="Files" to={projectsLink()} value={(d) => d.files} />
        {(!permissions.loaded || permissions.can('invoices.read')) && <RevenueKpi query={dashboard} to={`${base}/invoices?status=paid`} />}
      </section>

      <div className="grid min-w-0 gap-6 lg:grid-cols-2">
        <Widget title="Projects by status" query={dashboard} empty={(d) => d.projects_by_status.every((s) => s.count === 0)} emptyText="No projects yet." link={{ to: projectsLink(), label: 'All projects' }}>
          {(d) => (
            <ChartWithTable
              caption="Projects by status"
              rows={d.projects_by_status.map((s) => ({ label: projectStatusLabels[s.status as ProjectStatus] ?? s.status, value: s.count, to: projectsLink(s.status) }))}
            />
          )}
        </Widget>
        <Widget title="Projects created per month" query={dashboard} empty={(d) => d.projects_created.every((m) => m.count === 0)} emptyText="No project was created in this period.">
          {(d) => <ChartWithTable caption="Projects created per month" rows={d.projects_created.map((m) => ({ label: monthLabel(m.month), value: m.count }))} />}
        </Widget>
        {(!permissions.loaded || permissions.can('invoices.read')) && (
          <Widget
            title="Revenue per month"
            query={dashboard}
            empty={(d) => !d.monthly_revenue?.length}
            emptyText="No invoice was paid in this period."
            link={{ to: `${base}/invoices?status=paid`, label: 'Paid invoices' }}
          >
            {(d) => (
              <div className="grid gap-6">
                {(d.monthly_revenue ?? []).map((series) => (
                  <ChartWithTable
                    key={series.currency}
                    caption={`Revenue in ${series.currency} per month`}
                    money={series.currency}
                    rows={series.months.map((m) => ({ label: monthLabel(m.month), value: m.amount_minor }))}
                  />
                ))}
              </div>
            )}
          </Widget>
        )}
        <Widget title="Recent activity" query={dashboard} empty={(d) => d.activity.length === 0} emptyText="Nothing has happened yet." link={{ to: `${base}/activity`, label: 'All activity' }}>
          {(d) => <ActivityList items={d.activity} />}
        </Widget>
      </div>
    </div>
  )
}

function Kpi({ query, label, to, value }: { query: Query; label: string; to: string; value: (d: Dashboard) => number | null | undefined }) {
  const figure = query.data ? value(query.data) : undefined
  if (query.data && (figure === null || figure === undefined)) return null
  return (
    <Link to={to} className="grid gap-1 rounded-lg border bg-card p-4 outline-none hover:bg-muted/50 focus-visible:ring-[3px] focus-visible:ring-ring">
      <span className="text-sm text-muted-foreground">{label}</span>
      {query.isPending ? (
        <Skeleton className="h-8 w-16" />
      ) : query.isError ? (
        <span className="text-sm text-destructive">Couldn't load</span>
      ) : (
        <span className="text-2xl font-semibold tabular-nums" data-kpi={label}>
          {figure}
        </span>
      )}
    </Link>
  )
}

function RevenueKpi({ query, to }: { query: Query; to: string }) {
  const revenue = query.data?.revenue
  if (query.data && !revenue) return null
  return (
    <Link to={to} className="col-span-2 grid gap-1 rounded-lg border bg-card p-4 outline-none hover:bg-muted/50 focus-visible:ring-[3px] focus-visible:ring-ring lg:col-span-1">
      <span className="text-sm text-muted-foreground">Revenue (paid)</span>
      {query.isPending ? (
        <Skeleton className="h-8 w-24" />
      ) : query.isError ? (
        <span className="text-sm text-destructive">Couldn't load</span>
      ) : revenue && revenue.length > 0 ? (
        <ul className="grid gap-0.5" data-kpi="Revenue (paid)">
          {revenue.map((r) => (
            <li key={r.currency} className="text-lg font-semibold tabular-nums break-words">
              {formatMoney(r.amount_minor, r.currency)}
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-sm text-muted-foreground">None in this period</span>
      )}
    </Link>
  )
}

interface WidgetProps {
  title: string
  query: Query
  empty: (d: Dashboard) => boolean
  emptyText: string
  link?: { to: string; label: string }
  children: (d: Dashboard) => ReactNode
}

/** A dashboard card with its loading, error and empty states. */
/**
 * The client filter: a select of the newest clients; when the organization has more than the select lists,
 * a search box above it narrows the choices by name, email or company.
 */
function ClientFilter({ orgId, clientId, onChange }: { orgId: string; clientId?: string; onChange: (id?: string) => void }) {
  const [text, setText] = useState('')
  const q = useDebouncedValue(text.trim(), 250)
  const { clients, more, searching } = useClientOptions(orgId, true, q, clientId)
  return (
    <div className="flex flex-col gap-2 sm:flex-row">
      {(more || q !== '') && (
        <Input
          type="search"
          aria-label="Find a client"
          aria-describedby="dashboard-client-hint"
          placeholder="Find a client…"
          className="sm:w-44"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      )}
      <span id="dashboard-client-hint" className="sr-only">
        {searching ? 'Searching clients.' : `${clients.length} clients in the list below.`}
      </span>
      <NativeSelect aria-label="Filter by client" className="sm:w-48" value={clientId ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">All clients</option>
        {clients.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </NativeSelect>
    </div>
  )
}

function Widget({ title, query, empty, emptyText, link, children }: WidgetProps) {
  return (
    <section aria-label={title} className="grid min-w-0 content-start gap-3 rounded-lg border bg-card p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-medium">{title}</h2>
        {link && (
          <Link to={link.to} className="text-sm text-primary underline-offset-4 hover:underline">
            {link.label}
          </Link>
        )}
      </div>
      {query.isPending ? (
        <Skeleton className="h-52" />
      ) : query.isError ? (
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>Couldn't load {title.toLowerCase()}</AlertTitle>
          <AlertDescription>{query.error.message}</AlertDescription>
        </Alert>
      ) : empty(query.data) ? (
        <p className="text-sm text-muted-foreground">{emptyText}</p>
      ) : (
        children(query.data)
      )}
    </section>
  )
}

interface Row {
  label: string
  value: number
  to?: string
}

/**
 * A bar chart for the eye (hidden from assistive technology) and its figures as text: a list of links
 * when each bar leads to a filtered list, else a visually hidden table.
 */
function ChartWithTable({ caption, rows, money }: { caption: string; rows: Row[]; money?: string }) {
  const format = (v: number) => (money ? formatMoney(v, money) : String(v))
  const linked = rows.some((r) => r.to)
  return (
    <figure className="grid min-w-0 gap-2">
      {money && <figcaption className="text-sm text-muted-foreground">{money}</figcaption>}
      <Suspense fallback={<Skeleton className="h-52" />}>
        <Bars data={rows.map(({ label, value }) => ({ label, value }))} money={money} />
      </Suspense>
      {linked ? (
        <ul aria-label={caption} className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {rows.map((r) => (
            <li key={r.label}>
              <Link to={r.to ?? ''} className="underline-offset-4 hover:underline">
                {r.label}: <span className="font-medium tabular-nums">{format(r.value)}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <table className="sr-only">
          <caption>{caption}</caption>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{format(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  )
}
