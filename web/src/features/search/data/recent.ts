/** A record opened from the palette, remembered per organization in this browser. */
export interface RecentItem {
  type: 'clients' | 'projects' | 'tasks' | 'comments' | 'files'
  id: string
  title: string
  subtitle?: string
  href: string
}

/** How many recent items the palette keeps. */
export const recentLimit = 8

const types = new Set(['clients', 'projects', 'tasks', 'comments', 'files'])

/** The localStorage key of an organization's recent items. */
export function recentKey(orgId: string): string {
  return `clientflow.recent.${orgId}`
}

/** Parses stored recent items, dropping anything malformed (storage is user-editable). */
export function parseRecent(raw: string | null): RecentItem[] {
  if (!raw) return []
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return []
  }
  if (!Array.isArray(value)) return []
  return value
    .filter(
      (v): v is RecentItem =>
        typeof v === 'object' &&
        v !== null &&
        types.has(v.type) &&
        typeof v.id === 'string' &&
        typeof v.title === 'string' &&
        typeof v.href === 'string' &&
        // Only in-app paths: a tampered entry must not navigate elsewhere.
        v.href.startsWith('/') &&
        !v.href.startsWith('//') &&
        (v.subtitle === undefined || typeof v.subtitle === 'string'),
    )
    .slice(0, recentLimit)
}

/** items with item first: an item opened again moves to the front, and the list keeps recentLimit. */
export function addRecent(items: RecentItem[], item: RecentItem): RecentItem[] {
  return [item, ...items.filter((i) => !(i.type === item.type && i.id === item.id))].slice(0, recentLimit)
}

/** The organization's recent items from localStorage (none when storage is unavailable). */
export function loadRecent(orgId: string): RecentItem[] {
  try {
    return parseRecent(localStorage.getItem(recentKey(orgId)))
  } catch {
    return []
  }
}

/** Remembers item as the organization's most recent and returns the new list. */
export function rememberRecent(orgId: string, item: RecentItem): RecentItem[] {
  const next = addRecent(loadRecent(orgId), item)
  try {
    localStorage.setItem(recentKey(orgId), JSON.stringify(next))
  } catch {
    // Private mode or a full quota: the palette still works, it only forgets.
  }
  return next
}
