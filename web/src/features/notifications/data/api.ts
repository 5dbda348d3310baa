import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { useLiveStatus } from '@/features/live/data/status'
import { notificationKeys, type NotificationListFilters } from './keys'

/** One entry of the inbox. */
export type AppNotification = components['schemas']['Notification']
/** A page of the inbox with the unread count. */
type NotificationPage = components['schemas']['NotificationList']

/** While the live stream is down the unread count is polled this often instead. */
const pollWhileDownMs = 30_000

/** How many unread notifications the user has in the organization; polled only while the live stream is down. */
export function useUnreadCount(orgId: string) {
  const live = useLiveStatus()
  return useQuery({
    queryKey: notificationKeys.unreadCount(orgId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/notifications/unread-count', { params: { path: { org_id: orgId } }, signal })),
    enabled: Boolean(orgId),
    refetchInterval: live === 'down' ? pollWhileDownMs : false,
  })
}

/** The inbox, newest first, one page at a time ("Load more" fetches the next). */
export function useNotifications(orgId: string, filters: NotificationListFilters) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(orgId, filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/notifications', {
          params: {
            path: { org_id: orgId },
            query: { unread: filters.unread || undefined, type: filters.type || undefined, limit: filters.limit ?? 50, cursor: pageParam },
          },
          signal,
        }),
      ),
    getNextPageParam: (last: NotificationPage) => last.next_cursor ?? undefined,
    enabled: Boolean(orgId),
  })
}

/**
 * Marks the cached copies of the notifications `which` picks read (all when it is omitted), so the bell and
 * the page agree at once; the refetch after the request confirms it.
 */
function markReadInCache(queryClient: QueryClient, orgId: string, which?: string) {
  const readAt = new Date().toISOString()
  queryClient.setQueriesData<InfiniteData<NotificationPage>>({ queryKey: [...notificationKeys.all(orgId), 'list'] }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            data: page.data.map((n) => (!n.read_at && (which === undefined || n.id === which) ? { ...n, read_at: readAt } : n)),
          })),
        }
      : data,
  )
}

/** Marks one notification read. */
export function useMarkRead(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (notificationId: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/notifications/{notification_id}/read', {
          params: { path: { org_id: orgId, notification_id: notificationId } },
        }),
      ),
    onMutate: (notificationId) => markReadInCache(queryClient, orgId, notificationId),
    onSuccess: (left) => queryClient.setQueryData(notificationKeys.unreadCount(orgId), left),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all(orgId) }),
  })
}

/** Marks all of the user's notifications in the organization read. */
export function useMarkAllRead(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/orgs/{org_id}/notifications/read-all', { params: { path: { org_id: orgId } } })),
    onMutate: () => markReadInCache(queryClient, orgId),
    onSuccess: (left) => queryClient.setQueryData(notificationKeys.unreadCount(orgId), left),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all(orgId) }),
  })
}
