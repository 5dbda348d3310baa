import { AlertCircleIcon, AtSignIcon, CalendarClockIcon, FolderKanbanIcon, LayoutDashboardIcon, TimerIcon } from 'lucide-react'
import { useEffect, useState, type ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { StopTimerButton } from '@/features/time/components/timer-control'
import type { TimeEntry } from '@/features/time/data/api'
import { formatElapsed, formatMinutes } from '@/features/time/data/schema'
import { notificationPath } from '@/features/notifications/data/link'
import { formatDate, formatDateTime } from '@/lib/format'
import { recentProjects } from '@/lib/recent-projects'
import { dueBucketLabels, dueBuckets, groupByDue, type DueBucket } from './data/buckets'
import { useMyWork, type MyTask, type MyWork } from './data/api'

/** /orgs/:orgId/my-work — the member's landing page: their tasks by due date, time today, mentions, recent projects. */
export function MyWorkPage() {
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const work = useMyWork(orgId)
  if (permissions.loaded && !permissions.can('projects.read')) return <NoAccess what="tasks in this organization" />
  const seesDashboard = permissions.role === 'owner' || permissions.role === 'admin'

  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">My work</h1>
          <p className="text-sm text-muted-foreground">Your open tasks, your time today and what needs your attention.</p>
        </div>
        {seesDashboard && (
          <Button asChild variant="outline" size="sm">
            <Link to={`/orgs/${orgId}/dashboard`}>
              <LayoutDashboardIcon aria-hidden="true" />
              Organization dashboard
            </Link>
          </Button>
        )}
      </div>
      {work.isError ? (
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>Couldn't load your work</AlertTitle>
          <AlertDescription>{work.error.message}</AlertDescription>
        </Alert>
      ) : (
        <div className="grid min-w-0 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <Section title="My tasks" icon={CalendarClockIcon}>
            {work.data ? <TaskGroups orgId={orgId} work={work.data} /> : <Loading label="Loading your tasks" />}
          </Section>
          <div className="grid min-w-0 content-start gap-6">
            {(work.isPending || work.data?.today_minutes != null) && (
              <Section title="Time today" icon={TimerIcon}>
                {work.data ? <TimeToday orgId={orgId} work={work.data} /> : <Loading label="Loading your time" />}
              </Section>
            )}
            <Section title="Mentions" icon={AtSignIcon}>
              {work.data ? <Mentions work={work.data} /> : <Loading label="Loading your mentions" />}
            </Section>
            <Section title="Recently visited projects" icon={FolderKanbanIcon}>
              <RecentProjects orgId={orgId} />
            </Section>
          </div>
        </div>
      )}
    </div>
  )
}

function Section({ title, icon: Icon, children }: { title: string; icon: typeof TimerIcon; children: ReactNode }) {
  const id = `my-work-${title.toLowerCase().replaceAll(' ', '-')}`
  return (
    <section aria-labelledby={id} className="grid min-w-0 content-start gap-3 rounded-xl border bg-card p-4 shadow-sm sm:p-5">
      <h2 id={id} className="flex items-center gap-2 text-base font-semibold">
        <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
        {title}
      </h2>
      {children}
    </section>
  )
}

function Loading({ label }: { label: string }) {
  return (
    <div className="grid gap-2" aria-busy="true" aria-label={label}>
      <Skeleton className="h-5 w-3/4" />
      <Skeleton className="h-5 w-1/2" />
    </div>
  )
}

function TaskGroups({ orgId, work }: { orgId: string; work: MyWork }) {
  if (work.tasks.length === 0) return <p className="text-sm text-muted-foreground">No open tasks are assigned to you.</p>
  const groups = groupByDue(work.tasks, new Date())
  return (
    <div className="grid gap-5">
      {dueBuckets
        .filter((b) => groups[b].length > 0)
        .map((b) => (
          <TaskGroup key={b} orgId={orgId} bucket={b} tasks={groups[b]} />
        ))}
      {work.tasks_truncated && <p className="text-xs text-muted-foreground">Only your first {work.tasks.length} open tasks are shown.</p>}
    </div>
  )
}

function TaskGroup({ orgId, bucket, tasks }: { orgId: string; bucket: DueBucket; tasks: MyTask[] }) {
  const id = `my-tasks-${bucket}`
  return (
    <section aria-labelledby={id} className="grid gap-2">
      <h3 id={id} className={bucket === 'overdue' ? 'text-sm font-semibold text-destructive' : 'text-sm font-semibold text-muted-foreground'}>
        {dueBucketLabels[bucket]} <span className="font-normal">({tasks.length})</span>
      </h3>
      <ul className="grid gap-1">
        {tasks.map((t) => (
          <li key={t.id}>
            <Link
              to={`/orgs/${orgId}/projects/${t.project_id}/board?task=${t.id}`}
              className="flex min-w-0 flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 rounded-md px-2 py-1.5 outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring"
            >
              <span className="min-w-0 font-medium break-words">{t.title}</span>
              <span className="text-xs text-muted-foreground">
                {t.project_name} · {t.status}
                {t.due_date && ` · due ${formatDate(`${t.due_date}T12:00:00`)}`}
                {(t.priority === 'urgent' || t.priority === 'high') && ` · ${t.priority === 'urgent' ? 'Urgent' : 'High'} priority`}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  )
}

function TimeToday({ orgId, work }: { orgId: string; work: MyWork }) {
  const canWrite = useOrgPermissions(orgId).can('time.write')
  return (
    <div className="grid gap-3 text-sm">
      <p>
        Logged today: <span className="font-semibold tabular-nums">{formatMinutes(work.today_minutes ?? 0)}</span>
      </p>
      {work.timer ? (
        <RunningTimer orgId={orgId} entry={work.timer} canStop={canWrite} />
      ) : (
        <p className="text-muted-foreground">
          No timer is running.{' '}
          <Link to={`/orgs/${orgId}/time`} className="underline underline-offset-4">
            Open the timesheet
          </Link>
        </p>
      )}
    </div>
  )
}

function RunningTimer({ orgId, entry, canStop }: { orgId: string; entry: TimeEntry; canStop: boolean }) {
  const now = useNow()
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-2">
      <div className="grid min-w-0">
        <span className="truncate font-medium">{entry.task_title || entry.project_name}</span>
        {entry.task_title && <span className="truncate text-xs text-muted-foreground">{entry.project_name}</span>}
      </div>
      <span className="font-mono tabular-nums" role="timer" aria-label="Running timer elapsed time">
        {formatElapsed(now - new Date(entry.started_at).getTime())}
      </span>
      {canStop && <StopTimerButton orgId={orgId} />}
    </div>
  )
}

/** The current time, ticking every second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000)
    return () => window.clearInterval(id)
  }, [])
  return now
}

function Mentions({ work }: { work: MyWork }) {
  if (work.mentions.length === 0) return <p className="text-sm text-muted-foreground">Nobody has mentioned you lately.</p>
  return (
    <ul className="grid gap-2 text-sm">
      {work.mentions.map((m) => {
        const path = notificationPath(m.link, window.location.origin)
        return (
          <li key={m.id} className="grid min-w-0">
            {path ? (
              <Link to={path} className="font-medium break-words underline-offset-4 hover:underline">
                {m.title}
              </Link>
            ) : (
              <span className="font-medium break-words">{m.title}</span>
            )}
            <time className="text-xs text-muted-foreground" dateTime={m.created_at}>
              {formatDateTime(m.created_at)}
            </time>
          </li>
        )
      })}
    </ul>
  )
}

function RecentProjects({ orgId }: { orgId: string }) {
  const [projects] = useState(() => recentProjects(orgId))
  if (projects.length === 0) return <p className="text-sm text-muted-foreground">Projects you open show up here.</p>
  return (
    <ul className="grid gap-1 text-sm">
      {projects.map((p) => (
        <li key={p.id} className="min-w-0">
          <Link to={`/orgs/${orgId}/projects/${p.id}`} className="block truncate rounded-md px-2 py-1 font-medium outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring">
            {p.name}
          </Link>
        </li>
      ))}
    </ul>
  )
}
