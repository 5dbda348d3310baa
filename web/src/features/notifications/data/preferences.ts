import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { notificationKeys } from './keys'

/** One type × channel of the member's preferences, with its label, group, default and lock. */
export type NotificationPreference = components['schemas']['NotificationPreference']
/** A channel: in_app, email or push. */
export type NotificationChannel = NotificationPreference['channel']
/** One change sent in the bulk update. */
export type PreferenceChange = components['schemas']['NotificationPreferenceChange']

/** The channels in the order the matrix shows them, with their column names. */
export const channels: { channel: NotificationChannel; label: string }[] = [
  { channel: 'in_app', label: 'In-app' },
  { channel: 'email', label: 'Email' },
  { channel: 'push', label: 'Push' },
]

/** One row of the matrix: a type and its cell per channel. */
export interface PreferenceRow {
  type: string
  label: string
  cells: Partial<Record<NotificationChannel, NotificationPreference>>
}

/** Rows gathered by group, in the server's order (the catalogue's display order). */
export interface PreferenceGroup {
  group: NotificationPreference['group']
  rows: PreferenceRow[]
}

/** Arranges the flat list the API answers into groups of rows. */
export function preferenceMatrix(prefs: NotificationPreference[]): PreferenceGroup[] {
  const groups: PreferenceGroup[] = []
  const rows = new Map<string, PreferenceRow>()
  for (const p of prefs) {
    let row = rows.get(p.type)
    if (!row) {
      row = { type: p.type, label: p.label, cells: {} }
      rows.set(p.type, row)
      let group = groups.find((g) => g.group === p.group)
      if (!group) {
        group = { group: p.group, rows: [] }
        groups.push(group)
      }
      group.rows.push(row)
    }
    row.cells[p.channel] = p
  }
  return groups
}

/** The notification types with their labels, in display order (for the inbox's type filter). */
export function notificationTypes(prefs: NotificationPreference[]): { type: string; label: string }[] {
  return preferenceMatrix(prefs).flatMap((g) => g.rows.map(({ type, label }) => ({ type, label })))
}

/** The key of one cell in a draft of choices. */
export const cellKey = (type: string, channel: NotificationChannel) => `${type}\n${channel}`

/** The changes that turn the saved preferences into the draft: only cells whose choice differs. */
export function changesFrom(prefs: NotificationPreference[], draft: ReadonlyMap<string, boolean>): PreferenceChange[] {
  return prefs.flatMap((p) => {
    const wanted = draft.get(cellKey(p.type, p.channel))
    return wanted === undefined || wanted === p.enabled ? [] : [{ type: p.type, channel: p.channel, enabled: wanted }]
  })
}

/** A draft with every unlocked cell of one channel set to `enabled` (a column's "All on" / "All off"). */
export function setColumn(
  prefs: NotificationPreference[],
  draft: ReadonlyMap<string, boolean>,
  channel: NotificationChannel,
  enabled: boolean,
): Map<string, boolean> {
  const next = new Map(draft)
  for (const p of prefs) {
    if (p.channel === channel && !p.locked) next.set(cellKey(p.type, channel), enabled)
  }
  return next
}

/** The member's preferences in the organization: every type on every channel. */
export function useNotificationPreferences(orgId: string) {
  return useQuery({
    queryKey: notificationKeys.preferences(orgId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/notification-preferences', { params: { path: { org_id: orgId } }, signal })),
    enabled: Boolean(orgId),
    staleTime: 5 * 60_000,
  })
}

/** Saves several choices in one request; the answer is the whole matrix, which replaces the cached one. */
export function useUpdateNotificationPreferences(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (preferences: PreferenceChange[]) =>
      unwrap(api.PUT('/api/v1/orgs/{org_id}/notification-preferences', { params: { path: { org_id: orgId } }, body: { preferences } })),
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.preferences(orgId), saved),
  })
}
