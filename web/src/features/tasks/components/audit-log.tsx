import type { TaskAuditEntry } from '../data/types'

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

/** "2 min ago", "yesterday": how long ago iso was. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12]]
  let value = seconds
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(value, unit)
    value = Math.round(value / size)
  }
  return relative.format(value, 'year')
}

const fieldNames: Record<string, string> = {
  title: 'the title', description: 'the description', priority: 'the priority', due_date: 'the due date',
  estimate_minutes: 'the estimate', assignee_ids: 'the assignees',
}

/** One entry as a sentence: "Dana moved this from To do to Done". */
export function describeAudit(e: TaskAuditEntry): string {
  const who = e.actor_name || 'Someone'
  const o = e.old_values ?? {}
  const n = e.new_values ?? {}
  switch (e.action) {
    case 'task.created':
      return `${who} created this`
    case 'task.moved':
      return `${who} moved this from ${String(o.column)} to ${String(n.column)}`
    case 'task.completed':
      return `${who} completed this`
    case 'subtask.created':
      return `${who} added the subtask “${String(n.subtask)}”`
    case 'subtask.deleted':
      return `${who} removed the subtask “${String(o.subtask)}”`
    case 'subtask.updated':
      if ('done' in n) return `${who} ${n.done ? 'ticked' : 'unticked'} “${String(n.subtask)}”`
      return `${who} changed the subtask “${String(o.subtask)}” to “${String(n.subtask)}”`
  }
  const fields = Object.keys(n).filter((k) => k !== 'column_id').map((k) => (k === 'column' ? `the column (${String(o.column)} → ${String(n.column)})` : (fieldNames[k] ?? k)))
  return `${who} changed ${fields.join(', ')}`
}

/** The task's history, oldest first. */
export function AuditLog({ entries }: { entries: TaskAuditEntry[] }) {
  return (
    <section aria-labelledby="activity-heading" className="grid gap-2">
      <h3 id="activity-heading" className="text-sm font-semibold">Activity</h3>
      <ol className="grid gap-1 text-sm text-muted-foreground">
        {entries.map((e) => (
          <li key={e.id}>
            {describeAudit(e)} · <time dateTime={e.created_at}>{timeAgo(e.created_at)}</time>
          </li>
        ))}
      </ol>
    </section>
  )
}
