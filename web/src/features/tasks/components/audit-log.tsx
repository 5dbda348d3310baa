import { Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { useTaskHistory } from '../data/history'
import type { TaskAuditEntry, TaskDetail } from '../data/types'

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

/**
 * The task's history, oldest first: the latest changes come with the task, earlier ones are fetched a page
 * at a time with "Show earlier changes" (a long-lived task's whole history would slow every open).
 */
export function AuditLog({ orgId, projectId, task }: { orgId: string; projectId: string; task: TaskDetail }) {
  const [showEarlier, setShowEarlier] = useState(false)
  const history = useTaskHistory(orgId, projectId, task.id, task.audit_log_before, showEarlier)
  // Pages arrive newest first, each oldest first: the oldest page goes on top.
  const earlier = showEarlier ? [...(history.data?.pages ?? [])].reverse().flatMap((p) => p.data) : []
  const more = !showEarlier ? Boolean(task.audit_log_before) : history.hasNextPage
  const loading = history.isFetching
  return (
    <section aria-labelledby="activity-heading" className="grid gap-2">
      <h3 id="activity-heading" className="text-sm font-semibold">Activity</h3>
      {more && (
        <Button
          variant="ghost"
          size="sm"
          className="justify-self-start"
          disabled={loading}
          onClick={() => (showEarlier ? void history.fetchNextPage() : setShowEarlier(true))}
        >
          {loading && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Show earlier changes
        </Button>
      )}
      {history.isError && <p className="text-sm text-destructive">Earlier changes could not be loaded. Try again.</p>}
      <ol className="grid gap-1 text-sm text-muted-foreground" aria-busy={loading || undefined}>
        {[...earlier, ...task.audit_log].map((e) => (
          <li key={e.id}>
            {describeAudit(e)} · <time dateTime={e.created_at} title={new Date(e.created_at).toLocaleString()}>{timeAgo(e.created_at)}</time>
          </li>
        ))}
      </ol>
    </section>
  )
}
