import { formatDateTime } from '@/lib/format'
import type { Activity } from '../data/types'

/** "project.member_added" → "member added to project". */
function describe(activity: Activity): string {
  const [entity, verb = ''] = activity.type.split('.')
  const name = typeof activity.payload.name === 'string' ? ` “${activity.payload.name}”` : ''
  return `${verb.replaceAll('_', ' ')} ${entity}${name}`
}

/** A feed of events, newest first. */
export function ActivityList({ items }: { items: Activity[] }) {
  if (items.length === 0) return <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>
  return (
    <ol className="grid gap-3" aria-label="Activity">
      {items.map((a) => (
        <li key={a.id} className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <span>
            <span className="font-medium">{a.actor?.name ?? 'Someone'}</span> {describe(a)}
          </span>
          <time className="text-xs text-muted-foreground" dateTime={a.created_at}>
            {formatDateTime(a.created_at)}
          </time>
        </li>
      ))}
    </ol>
  )
}
