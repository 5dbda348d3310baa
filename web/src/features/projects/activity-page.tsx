import { useQuery } from '@tanstack/react-query'
import { AlertCircleIcon } from 'lucide-react'
import { useEffect, useId, useState, type ComponentProps, type ReactNode } from 'react'
import { useParams } from 'react-router'
import { api, unwrap } from '@/api/client'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { ExportButton } from '@/features/exports/components/export-button'
import { useMembers } from '@/features/team/data/api'
import { useProjectOptions } from '@/features/time/data/api'
import { currentCursor, hasPrevious, nextPage, previousPage } from '@/lib/cursor-pagination'
import { useCursorPages, useUrlFilters } from '@/lib/list-state'
import { useTitle } from '@/lib/use-title'
import { ActivityList } from './components/activity-list'
import { activityActions, activityEntityLabels } from './data/activity-describe'
import { useActivity, type ActivityFilters } from './data/api'

/** The filters the page keeps in the URL, in the API's names. */
const filterNames = ['from', 'to', 'type', 'entity_type', 'project_id', 'client_id', 'actor_id', 'q'] as const


/** The clients for the filter (first 200), when the user may read clients. */
function useClientOptions(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['orgs', orgId, 'clients', 'options'],
    enabled,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/clients', { params: { path: { org_id: orgId }, query: { limit: 200 } }, signal })).then(
        (page) => page.data.map((c) => ({ id: c.id, name: c.name })),
      ),
  })
}

/** A labelled field of the filter bar. */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId()
  return (
    <div className="grid min-w-0 gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children(id)}
    </div>
  )
}

/** A text filter that reaches the URL on Enter or when it loses focus, not on every key. */
function CommitInput({ value, onCommit, ...props }: { value: string; onCommit: (v: string) => void } & ComponentProps<'input'>) {
  const [text, setText] = useState(value)
  useEffect(() => setText(value), [value])
  return (
    <Input
      {...props}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => text !== value && onCommit(text.trim())}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onCommit(text.trim())
      }}
    />
  )
}

/** /orgs/:orgId/activity — what happened in the organization, newest first (only projects you are on), with filters in the URL. */
export function ActivityPage() {
  useTitle('Activity')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const { params, setFilter, clearFilters } = useUrlFilters()
  const filters: ActivityFilters = {}
  for (const name of filterNames) {
    const v = params.get(name)
    if (v) filters[name] = v
  }
  const filterKey = JSON.stringify(filters)
  const { pages, goTo } = useCursorPages(filterKey)
  const activity = useActivity(orgId, undefined, currentCursor(pages), filters)
  const projects = useProjectOptions(orgId)
  const clients = useClientOptions(orgId, permissions.can('clients.read'))
  const members = useMembers(orgId)
  if (permissions.loaded && !permissions.can('projects.read')) return <NoAccess what="this organization's activity" />
  const filtered = Object.keys(filters).length > 0
  return (
    <div className="mx-auto flex w-full max-w-4xl min-w-0 flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Activity</h1>
          <p className="text-sm text-muted-foreground">Changes to clients, projects and tasks you can see.</p>
        </div>
        <ExportButton orgId={orgId} kind="activity" filters={{ ...filters }} />
      </div>
      <section aria-label="Filters" className="grid grid-cols-1 gap-3 rounded-lg border bg-card p-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="From">
          {(id) => <Input id={id} type="date" value={filters.from ?? ''} onChange={(e) => setFilter('from', e.target.value || undefined)} />}
        </Field>
        <Field label="To">
          {(id) => <Input id={id} type="date" value={filters.to ?? ''} onChange={(e) => setFilter('to', e.target.value || undefined)} />}
        </Field>
        <Field label="Project">
          {(id) => (
            <NativeSelect id={id} value={filters.project_id ?? ''} onChange={(e) => setFilter('project_id', e.target.value || undefined)}>
              <option value="">All projects</option>
              {projects.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        {permissions.can('clients.read') && (
          <Field label="Client">
            {(id) => (
              <NativeSelect id={id} value={filters.client_id ?? ''} onChange={(e) => setFilter('client_id', e.target.value || undefined)}>
                <option value="">All clients</option>
                {clients.data?.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </NativeSelect>
            )}
          </Field>
        )}
        <Field label="Who">
          {(id) => (
            <NativeSelect id={id} value={filters.actor_id ?? ''} onChange={(e) => setFilter('actor_id', e.target.value || undefined)}>
              <option value="">Anyone</option>
              {members.data?.data.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {m.name}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="About">
          {(id) => (
            <NativeSelect id={id} value={filters.entity_type ?? ''} onChange={(e) => setFilter('entity_type', e.target.value || undefined)}>
              <option value="">Anything</option>
              {Object.entries(activityEntityLabels).map(([t, label]) => (
                <option key={t} value={t}>
                  {label}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="Action">
          {(id) => (
            <NativeSelect id={id} value={filters.type ?? ''} onChange={(e) => setFilter('type', e.target.value || undefined)}>
              <option value="">Any action</option>
              {activityActions.map((a) => (
                <option key={a.type} value={a.type}>
                  {a.label}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="Text">
          {(id) => <CommitInput id={id} type="search" placeholder="Words in the change" value={filters.q ?? ''} onCommit={(v) => setFilter('q', v || undefined)} />}
        </Field>
        {filtered && (
          <div className="flex items-end sm:col-span-2 lg:col-span-4">
            <Button variant="ghost" size="sm" onClick={clearFilters}>
              Clear filters
            </Button>
          </div>
        )}
      </section>
      <div className="rounded-lg border bg-card p-4" aria-busy={activity.isFetching}>
        {activity.isPending ? (
          <Skeleton className="h-32" aria-label="Loading activity" />
        ) : activity.isError ? (
          <Alert variant="destructive">
            <AlertCircleIcon />
            <AlertTitle>Couldn't load the activity</AlertTitle>
            <AlertDescription>{activity.error.message}</AlertDescription>
          </Alert>
        ) : filtered && activity.data.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nothing matches these filters.</p>
        ) : (
          <ActivityList items={activity.data.data} />
        )}
      </div>
      <nav aria-label="Pagination" className="flex justify-between">
        <Button variant="outline" size="sm" disabled={!hasPrevious(pages)} onClick={() => goTo(previousPage(pages))}>
          Newer
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={!activity.data?.next_cursor}
          onClick={() => goTo(nextPage(pages, activity.data?.next_cursor))}
        >
          Older
        </Button>
      </nav>
    </div>
  )
}
