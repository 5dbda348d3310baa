/** Query keys: an organization's inbox (lists and the unread count) sits under `all`, so one invalidation refreshes it. */
export const notificationKeys = {
  all: (orgId: string) => ['orgs', orgId, 'notifications'] as const,
  list: (orgId: string, filters: NotificationListFilters) => [...notificationKeys.all(orgId), 'list', filters] as const,
  unreadCount: (orgId: string) => [...notificationKeys.all(orgId), 'unread-count'] as const,
  // Outside `all`: a new notification doesn't change anyone's preferences.
  preferences: (orgId: string) => ['orgs', orgId, 'notification-preferences'] as const,
  pushSubscription: (orgId: string) => ['orgs', orgId, 'push-subscription'] as const,
}

/** What the inbox is narrowed by. */
export interface NotificationListFilters {
  unread?: boolean
  type?: string
  limit?: number
}
