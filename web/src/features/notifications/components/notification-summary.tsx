import { cn } from '@/lib/utils'
import type { AppNotification } from '../data/api'
import { timeAgo } from '../data/time'

/** A notification's title, body and who/when line, with an unread marker; shared by the bell and the page. */
export function NotificationSummary({ notification: n, className }: { notification: AppNotification; className?: string }) {
  const unread = !n.read_at
  return (
    <span className={cn('flex min-w-0 flex-1 items-start gap-2', className)}>
      <span aria-hidden="true" className={cn('mt-1.5 size-2 shrink-0 rounded-full', unread ? 'bg-primary' : 'bg-transparent')} />
      <span className="grid min-w-0 flex-1 gap-0.5">
        <span className={cn('text-sm break-words', unread ? 'font-semibold' : 'font-normal')}>
          {unread && <span className="sr-only">Unread: </span>}
          {n.title}
        </span>
        {n.body && <span className="line-clamp-2 text-sm break-words text-muted-foreground">{n.body}</span>}
        <span className="text-xs text-muted-foreground">
          {n.actor_name ? `${n.actor_name} · ` : ''}
          <time dateTime={n.created_at}>{timeAgo(n.created_at)}</time>
        </span>
      </span>
    </span>
  )
}
