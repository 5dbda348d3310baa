import { AlertCircleIcon, ChevronLeftIcon, ChevronRightIcon, Grid3x3Icon, ListIcon, PencilIcon, PlusIcon, Trash2Icon } from 'lucide-react'
import { useState } from 'react'
import { useParams, useSearchParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useMembers } from '@/features/team/data/api'
import { ExportButton } from '@/features/exports/components/export-button'
import { useTitle } from '@/lib/use-title'
import { DeleteEntryDialog } from './components/delete-entry-dialog'
import { ProjectSelect } from './components/project-task-fields'
import { TimeEntryDialog } from './components/time-entry-dialog'
import { WeekGrid } from './components/week-grid'
import { useTimeEntries, type TimeEntry } from './data/api'
import { formatMinutes, isoDay, seesEveryone, shiftWeek, weekDays } from './data/schema'

const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' })

/**
 * /orgs/:orgId/time — one UTC week (?week=YYYY-MM-DD) as a list of entries by day, or (?view=grid) as one
 * person's week grid to type hours into; filters for managers.
 */
export function TimesheetPage() {
  useTitle('Time')
  const { orgId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const permissions = useOrgPermissions(orgId)
  const days = weekDays(params.get('week') ?? isoDay(new Date()))
  const projectId = params.get('project') ?? ''
  const userId = params.get('person') ?? ''
  const grid = params.get('view') === 'grid'
  // The grid is one person's week: the chosen person, else the signed-in user.
  const gridUserId = userId || permissions.userId
  const entries = useTimeEntries(orgId, {
    from: days[0],
    to: days[6],
    projectId: projectId || undefined,
    userId: (grid ? gridUserId : userId) || undefined,
  })
  const [editing, setEditing] = useState<{ open: boolean; entry?: TimeEntry }>({ open: false })
  const [deleting, setDeleting] = useState<TimeEntry>()
  const everyone = seesEveryone(permissions.role)

  if (permissions.loaded && !permissions.can('time.read')) return <NoAccess what="time entries" />

  const setParam = (name: string, value: string) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous)
      if (value) next.set(name, value)
      else next.delete(name)
      return next
    })
  const canChange = (e: TimeEntry) => permissions.can('time.write') && !e.billed_at && (everyone || e.user_id === permissions.userId)

  return (
    <div className="mx-auto grid max-w-6xl gap-6 p-4 sm:p-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Timesheet</h1>
        <div className="flex-1" />
        <ExportButton orgId={orgId} kind="time_entries" filters={{ from: days[0], to: days[6], project_id: projectId, user_id: userId }} />
        {permissions.can('time.write') && (
          <Button onClick={() => setEditing({ open: true })}>
            <PlusIcon aria-hidden="true" />
            Log time
          </Button>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" size="icon" aria-label="Previous week" onClick={() => setParam('week', shiftWeek(days[0], -1))}>
          <ChevronLeftIcon />
        </Button>
        <span className="min-w-48 text-center text-sm font-medium" aria-live="polite">
          Week of {dayLabel.format(new Date(`${days[0]}T00:00:00Z`))}
        </span>
        <Button variant="outline" size="icon" aria-label="Next week" onClick={() => setParam('week', shiftWeek(days[0], 1))}>
          <ChevronRightIcon />
        </Button>
        <div role="group" aria-label="View" className="inline-flex rounded-md border p-0.5">
          {(['list', 'grid'] as const).map((view) => (
            <Button
              key={view}
              size="sm"
              variant={(view === 'grid') === grid ? 'secondary' : 'ghost'}
              aria-pressed={(view === 'grid') === grid}
              onClick={() => setParam('view', view === 'grid' ? 'grid' : '')}
            >
              {view === 'grid' ? <Grid3x3Icon aria-hidden="true" /> : <ListIcon aria-hidden="true" />}
              {view === 'grid' ? 'Week grid' : 'List'}
            </Button>
          ))}
        </div>
        <div className="flex-1" />
        {everyone && (
          <>
            <div className="w-48">
              <ProjectSelect orgId={orgId} value={projectId} onChange={(v) => setParam('project', v)} allLabel="All projects" aria-label="Filter by project" />
            </div>
            <PersonFilter orgId={orgId} value={userId} onChange={(v) => setParam('person', v)} allLabel={grid ? 'You' : 'Everyone'} />
          </>
        )}
      </div>
      {entries.isPending && <Skeleton className="h-64" aria-label="Loading time entries" />}
      {entries.isError && (
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>Time entries could not be loaded</AlertTitle>
          <AlertDescription>Check your connection and reload the page.</AlertDescription>
        </Alert>
      )}
      {entries.data && grid && (
        <WeekGrid
          orgId={orgId}
          days={days}
          entries={entries.data}
          editable={permissions.can('time.write') && gridUserId === permissions.userId}
        />
      )}
      {entries.data && !grid && (
        <Week
          days={days}
          entries={entries.data}
          showPerson={everyone}
          canChange={canChange}
          onEdit={(entry) => setEditing({ open: true, entry })}
          onDelete={setDeleting}
        />
      )}
      <TimeEntryDialog
        orgId={orgId}
        open={editing.open}
        entry={editing.entry}
        day={days.includes(isoDay(new Date())) ? isoDay(new Date()) : days[0]}
        onOpenChange={(open) => setEditing((s) => ({ ...s, open }))}
      />
      <DeleteEntryDialog orgId={orgId} entry={deleting} onClose={() => setDeleting(undefined)} />
    </div>
  )
}

/** The person filter; the empty choice is everyone in the list and the signed-in user in the grid. */
function PersonFilter({ orgId, value, onChange, allLabel }: { orgId: string; value: string; onChange: (userId: string) => void; allLabel: string }) {
  const members = useMembers(orgId)
  return (
    <select
      aria-label="Filter by person"
      className="flex h-9 w-48 rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{allLabel}</option>
      {members.data?.data.map((m) => (
        <option key={m.user_id} value={m.user_id}>
          {m.name}
        </option>
      ))}
    </select>
  )
}

function Week({
  days,
  entries,
  showPerson,
  canChange,
  onEdit,
  onDelete,
}: {
  days: string[]
  entries: TimeEntry[]
  showPerson: boolean
  canChange: (e: TimeEntry) => boolean
  onEdit: (e: TimeEntry) => void
  onDelete: (e: TimeEntry) => void
}) {
  const byDay = (day: string) => entries.filter((e) => e.started_at.slice(0, 10) === day)
  const total = (list: TimeEntry[]) => list.reduce((sum, e) => sum + (e.minutes ?? 0), 0)
  return (
    <div className="grid gap-4">
      <ol className="grid grid-cols-7 gap-1 rounded-md border p-2 text-center text-xs" aria-label="Totals per day">
        {days.map((day) => (
          <li key={day} className="grid gap-1">
            <span className="text-muted-foreground">{dayLabel.format(new Date(`${day}T00:00:00Z`))}</span>
            <span className="font-medium tabular-nums">{formatMinutes(total(byDay(day)))}</span>
          </li>
        ))}
      </ol>
      <p className="text-sm">
        Week total: <strong className="tabular-nums">{formatMinutes(total(entries))}</strong>
      </p>
      {entries.length === 0 && <p className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">No time logged this week.</p>}
      {days
        .filter((day) => byDay(day).length > 0)
        .map((day) => (
          <section key={day} aria-label={dayLabel.format(new Date(`${day}T00:00:00Z`))} className="grid gap-2">
            <h2 className="flex justify-between border-b pb-1 text-sm font-semibold">
              <span>{dayLabel.format(new Date(`${day}T00:00:00Z`))}</span>
              <span className="tabular-nums">{formatMinutes(total(byDay(day)))}</span>
            </h2>
            <ul className="grid gap-1">
              {byDay(day).map((e) => (
                <li key={e.id} className="flex flex-wrap items-center gap-3 rounded-md px-2 py-1.5 text-sm hover:bg-muted/50">
                  <div className="min-w-0 flex-1">
                    <div className="font-medium">
                      {e.project_name}
                      {e.task_title && <span className="font-normal text-muted-foreground"> · {e.task_title}</span>}
                    </div>
                    {e.note && <div className="truncate text-muted-foreground">{e.note}</div>}
                  </div>
                  {showPerson && <span className="text-muted-foreground">{e.user_name}</span>}
                  {!e.billable && <Badge variant="secondary">Non-billable</Badge>}
                  {e.billed_at && <Badge variant="outline">Billed</Badge>}
                  <span className="w-20 text-right tabular-nums">{e.minutes === null ? <Badge>Running</Badge> : formatMinutes(e.minutes)}</span>
                  {canChange(e) && (
                    <span className="flex gap-1">
                      <Button variant="ghost" size="icon" aria-label={`Edit entry ${e.project_name}`} onClick={() => onEdit(e)}>
                        <PencilIcon />
                      </Button>
                      <Button variant="ghost" size="icon" aria-label={`Delete entry ${e.project_name}`} onClick={() => onDelete(e)}>
                        <Trash2Icon />
                      </Button>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
    </div>
  )
}
