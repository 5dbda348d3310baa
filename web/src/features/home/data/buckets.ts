/** The groups of the home page's task list, in the order they are shown. */
export const dueBuckets = ['overdue', 'today', 'week', 'later'] as const
/** One group of tasks by due date. */
export type DueBucket = (typeof dueBuckets)[number]

/** How each group is headed. */
export const dueBucketLabels: Record<DueBucket, string> = {
  overdue: 'Overdue',
  today: 'Today',
  week: 'This week',
  later: 'Later or no date',
}

/** YYYY-MM-DD of a date in the member's own time zone (due dates are calendar days). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** The last day (Sunday) of the week, Monday to Sunday, that holds today. */
export function endOfWeek(today: Date): string {
  const daysToSunday = (7 - today.getDay()) % 7
  return localDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() + daysToSunday))
}

/** Which group a task due on `due` (YYYY-MM-DD or null) falls in, seen from `today`. */
export function dueBucket(due: string | null | undefined, today: Date): DueBucket {
  if (!due) return 'later'
  const day = localDay(today)
  if (due < day) return 'overdue'
  if (due === day) return 'today'
  return due <= endOfWeek(today) ? 'week' : 'later'
}

/** Groups items by due date, keeping their order within each group. */
export function groupByDue<T extends { due_date?: string | null }>(items: T[], today: Date): Record<DueBucket, T[]> {
  const out: Record<DueBucket, T[]> = { overdue: [], today: [], week: [], later: [] }
  for (const item of items) out[dueBucket(item.due_date, today)].push(item)
  return out
}
