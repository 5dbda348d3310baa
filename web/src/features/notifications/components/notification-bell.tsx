import { BellIcon, CheckCheckIcon } from 'lucide-react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { Skeleton } from '@/components/ui/skeleton'
import { useMarkAllRead, useMarkRead, useNotifications, useUnreadCount } from '../data/api'
import { notificationPath } from '../data/link'
import { NotificationSummary } from './notification-summary'

/** How many notifications the bell's menu shows; the page has the rest. */
const latestCount = 10

/** The count shown on the bell: exact up to 99. */
function badgeText(count: number) {
  return count > 99 ? '99+' : String(count)
}

/**
 * The header's bell: the unread count (live from the stream), and a menu with the latest notifications.
 * Opening one marks it read; "Mark all read" keeps the menu open; the last item leads to the full page.
 */
export function NotificationBell({ orgId }: { orgId: string }) {
  const unread = useUnreadCount(orgId)
  const count = unread.data?.unread_count ?? 0
  const label = unread.data ? `Notifications, ${count} unread` : 'Notifications'
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="relative" aria-label={label}>
          <BellIcon aria-hidden="true" />
          {count > 0 && (
            <span
              aria-hidden="true"
              className="absolute top-1 right-1 grid h-4 min-w-4 place-items-center rounded-full bg-destructive px-1 text-[10px] leading-none font-semibold text-destructive-foreground"
            >
              {badgeText(count)}
            </span>
          )}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-[min(24rem,calc(100vw-1rem))] p-0">
        <BellMenu orgId={orgId} unreadCount={count} />
      </DropdownMenuContent>
    </DropdownMenu>
  )
}

/** The menu's contents, mounted only while it is open so the latest list is fetched on demand. */
function BellMenu({ orgId, unreadCount }: { orgId: string; unreadCount: number }) {
  const latest = useNotifications(orgId, { limit: latestCount })
  const markRead = useMarkRead(orgId)
  const markAll = useMarkAllRead(orgId)
  const items = latest.data?.pages[0]?.data ?? []

  return (
    <>
      <div className="flex items-center justify-between gap-2 px-2 pt-1">
        <DropdownMenuLabel className="px-1">Notifications</DropdownMenuLabel>
        <DropdownMenuItem
          disabled={unreadCount === 0 || markAll.isPending}
          onSelect={(event) => {
            event.preventDefault()
            markAll.mutate()
          }}
        >
          <CheckCheckIcon aria-hidden="true" />
          Mark all read
        </DropdownMenuItem>
      </div>
      <DropdownMenuSeparator className="mx-0" />
      <div className="max-h-[min(28rem,60vh)] overflow-y-auto p-1">
        {latest.isPending ? (
          <Skeleton className="m-1 h-24" aria-label="Loading notifications" />
        ) : latest.isError ? (
          <p className="px-2 py-6 text-center text-sm text-muted-foreground">Couldn't load your notifications.</p>
        ) : items.length === 0 ? (
          <p className="px-2 py-6 text-center text-sm text-muted-foreground">You're all caught up.</p>
        ) : (
          items.map((n) => {
            const path = notificationPath(n.link, window.location.origin)
            const markOpened = () => {
              if (!n.read_at) markRead.mutate(n.id)
            }
            return path ? (
              <DropdownMenuItem key={n.id} asChild className="items-start py-2" onSelect={markOpened}>
                <Link to={path}>
                  <NotificationSummary notification={n} />
                </Link>
              </DropdownMenuItem>
            ) : (
              <DropdownMenuItem key={n.id} className="items-start py-2" onSelect={markOpened}>
                <NotificationSummary notification={n} />
              </DropdownMenuItem>
            )
          })
        )}
      </div>
      <DropdownMenuSeparator className="mx-0 my-0" />
      <div className="p-1">
        <DropdownMenuItem asChild className="justify-center font-medium">
          <Link to={`/orgs/${orgId}/notifications`}>See all notifications</Link>
        </DropdownMenuItem>
      </div>
    </>
  )
}
