import { CheckCheckIcon, CheckIcon, SettingsIcon } from 'lucide-react'
import { Link, useParams } from 'react-router'
import { ListLoadError, PageHeader } from '@/components/list-page'
import { Button } from '@/components/ui/button'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { useUrlFilters } from '@/lib/list-state'
import { useTitle } from '@/lib/use-title'
import { useMarkAllRead, useMarkRead, useNotifications, useUnreadCount, type AppNotification } from './data/api'
import { notificationPath } from './data/link'
import { notificationTypes, useNotificationPreferences } from './data/preferences'
import { NotificationSummary } from './components/notification-summary'

/** /orgs/:orgId/notifications — the whole inbox, filtered by unread (?unread=1) and type (?type=), newest first. */
export function NotificationsPage() {
  useTitle('Notifications')
  const { orgId = '' } = useParams()
  const { params, setFilter } = useUrlFilters()
  const unreadOnly = params.get('unread') === '1'
  const type = params.get('type') ?? ''
  const catalogue = useNotificationPreferences(orgId)
  const types = notificationTypes(catalogue.data?.data ?? [])
  const unread = useUnreadCount(orgId)
  const markAll = useMarkAllRead(orgId)
  const count = unread.data?.unread_count ?? 0

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title="Notifications"
        description={unread.data ? `${count} unread in this organization.` : 'What happened on your work.'}
        action={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" disabled={count === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
              <CheckCheckIcon aria-hidden="true" />
              Mark all read
            </Button>
            <Button variant="ghost" size="sm" asChild>
              <Link to={`/account/notifications?org=${orgId}`}>
                <SettingsIcon aria-hidden="true" />
                Preferences
              </Link>
            </Button>
          </div>
        }
      />
      <div className="flex flex-col gap-2 sm:flex-row">
        <Select value={unreadOnly ? 'unread' : 'all'} onValueChange={(v) => setFilter('unread', v === 'unread' ? '1' : undefined)}>
          <SelectTrigger aria-label="Show" className="w-full sm:w-44">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">All notifications</SelectItem>
            <SelectItem value="unread">Unread only</SelectItem>
          </SelectContent>
        </Select>
        <Select value={type || 'all'} onValueChange={(v) => setFilter('type', v === 'all' ? undefined : v)}>
          <SelectTrigger aria-label="Filter by type" className="w-full sm:w-72">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">All types</SelectItem>
            {types.map((t) => (
              <SelectItem key={t.type} value={t.type}>
                {t.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <NotificationResults key={`${orgId}\n${unreadOnly}\n${type}`} orgId={orgId} unreadOnly={unreadOnly} type={type} />
    </div>
  )
}

/** The filtered inbox with "Load more". */
function NotificationResults({ orgId, unreadOnly, type }: { orgId: string; unreadOnly: boolean; type: string }) {
  const list = useNotifications(orgId, { unread: unreadOnly || undefined, type: type || undefined })
  if (list.isPending) return <Skeleton className="h-48" aria-label="Loading notifications" />
  if (list.isError) return <ListLoadError what="your notifications" error={list.error} onRetry={() => void list.refetch()} />
  const items = list.data.pages.flatMap((p) => p.data)
  if (items.length === 0) {
    return (
      <p className="rounded-lg border bg-card p-8 text-center text-sm text-muted-foreground">
        {unreadOnly || type ? 'No notifications match these filters.' : 'No notifications yet.'}
      </p>
    )
  }
  return (
    <div className="grid gap-4">
      <ul aria-label="Notifications" className="divide-y rounded-lg border bg-card">
        {items.map((n) => (
          <NotificationRow key={n.id} orgId={orgId} notification={n} />
        ))}
      </ul>
      {list.hasNextPage && (
        <Button variant="outline" className="justify-self-center" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </Button>
      )}
    </div>
  )
}

/** One notification: a link to its entity (which marks it read) and a Mark read button while unread. */
function NotificationRow({ orgId, notification: n }: { orgId: string; notification: AppNotification }) {
  const markRead = useMarkRead(orgId)
  const path = notificationPath(n.link, window.location.origin)
  const markOpened = () => {
    if (!n.read_at) markRead.mutate(n.id)
  }
  return (
    <li className="flex items-start gap-2 p-3">
      {path ? (
        <Link
          to={path}
          onClick={markOpened}
          className="flex min-w-0 flex-1 rounded-md outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring"
        >
          <NotificationSummary notification={n} />
        </Link>
      ) : (
        <NotificationSummary notification={n} />
      )}
      {!n.read_at && (
        <Button variant="ghost" size="icon-sm" aria-label={`Mark “${n.title}” read`} disabled={markRead.isPending} onClick={markOpened}>
          <CheckIcon aria-hidden="true" />
        </Button>
      )}
    </li>
  )
}
