import {
  ArrowRightLeftIcon,
  AtSignIcon,
  CalendarClockIcon,
  CircleCheckIcon,
  CircleDotIcon,
  ClockIcon,
  Columns3Icon,
  FileIcon,
  FolderKanbanIcon,
  LayoutTemplateIcon,
  MessageSquareIcon,
  ReceiptIcon,
  SquareCheckIcon,
  UserRoundIcon,
  UsersIcon,
  type LucideIcon,
} from 'lucide-react'
import { Fragment } from 'react'
import { Link, useParams } from 'react-router'
import { formatDate, formatDateTime } from '@/lib/format'
import { dayLabel, describeActivity, type ActivityKind, type Part } from '../data/activity-describe'
import type { Activity } from '../data/types'

/** The icon of each kind of event. */
const kindIcons: Record<ActivityKind, LucideIcon> = {
  task: SquareCheckIcon,
  'task-done': CircleCheckIcon,
  'task-move': ArrowRightLeftIcon,
  due: CalendarClockIcon,
  comment: MessageSquareIcon,
  mention: AtSignIcon,
  project: FolderKanbanIcon,
  people: UserRoundIcon,
  client: UsersIcon,
  file: FileIcon,
  invoice: ReceiptIcon,
  time: ClockIcon,
  template: LayoutTemplateIcon,
  column: Columns3Icon,
  other: CircleDotIcon,
}

/** Events the system raises by itself: their sentence names the thing, not a person. */
const systemTypes = new Set(['task.due_soon', 'task.overdue', 'invoice.overdue'])

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

/** A feed of events, newest first, grouped by day: who did what to which named thing, linked. */
export function ActivityList({ items }: { items: Activity[] }) {
  const { orgId = '' } = useParams()
  if (items.length === 0) return <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>
  const now = new Date()
  const days: { label: string; items: Activity[] }[] = []
  for (const a of items) {
    const label = dayLabel(a.created_at, now, (d) => formatDate(d.toISOString()))
    if (days.at(-1)?.label !== label) days.push({ label, items: [] })
    days[days.length - 1].items.push(a)
  }
  return (
    <ul className="grid gap-4" aria-label="Activity">
      {days.map((day) => (
        <li key={day.label} className="grid gap-2">
          <h3 className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">{day.label}</h3>
          <ol className="grid gap-2.5" aria-label={day.label}>
            {day.items.map((a) => (
              <ActivityItem key={a.id} activity={a} orgId={orgId} />
            ))}
          </ol>
        </li>
      ))}
    </ul>
  )
}

function ActivityItem({ activity: a, orgId }: { activity: Activity; orgId: string }) {
  const d = describeActivity(a, orgId)
  const Icon = kindIcons[d.kind]
  const system = !a.actor && systemTypes.has(a.type)
  const who = a.actor?.name ?? 'Someone'
  return (
    <li className="flex min-w-0 items-start gap-2.5 text-sm">
      <span className="mt-0.5 grid size-6 shrink-0 place-items-center rounded-full bg-muted text-muted-foreground" aria-hidden="true">
        <Icon className="size-3.5" />
      </span>
      <p className="min-w-0 flex-1 break-words">
        {!system && <span className="font-medium">{who} </span>}
        <Sentence parts={d.parts} capitalize={system} />
        <span className="sr-only">.</span>
      </p>
      <time className="shrink-0 pt-0.5 text-xs text-muted-foreground tabular-nums" dateTime={a.created_at} title={formatDateTime(a.created_at)}>
        {timeFormat.format(new Date(a.created_at))}
      </time>
    </li>
  )
}

function Sentence({ parts, capitalize }: { parts: Part[]; capitalize: boolean }) {
  return (
    <span>
      {parts.map((p, i) => {
        const upper = (t: string) => (capitalize && i === 0 ? t.charAt(0).toUpperCase() + t.slice(1) : t)
        if (typeof p === 'string') return <Fragment key={i}>{upper(p)}</Fragment>
        const text = p.quoted ? `‘${p.text}’` : upper(p.text)
        return p.to ? (
          <Link key={i} to={p.to} className="font-medium underline-offset-4 hover:underline">
            {text}
          </Link>
        ) : (
          <span key={i} className="font-medium">
            {text}
          </span>
        )
      })}
    </span>
  )
}
