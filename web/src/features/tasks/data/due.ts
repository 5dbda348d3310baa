/** How close a task's due date is: past it, today, within the next two days, or later. */
export type DueState = 'overdue' | 'today' | 'soon' | 'later'

/** "Soon" covers the next this many days after today. */
export const dueSoonDays = 2

const day = 24 * 60 * 60 * 1000
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })

/** Today's calendar date where the user is, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** Whole days from `today` to `due` (both YYYY-MM-DD): negative once it has passed. */
export function daysUntil(due: string, today: string): number {
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / day)
}

/** The state of an open task's due date; a done task is never overdue nor due. */
export function dueState(due: string, today: string, done = false): DueState {
  if (done) return 'later'
  const days = daysUntil(due, today)
  if (days < 0) return 'overdue'
  if (days === 0) return 'today'
  return days <= dueSoonDays ? 'soon' : 'later'
}

/**
 * What a card says about its due date, in words (the colour only repeats it): "Overdue · Mar 3",
 * "Due today", "Due tomorrow", "Due in 2 days", else the date. `title` is the full date for the tooltip.
 */
export function dueLabel(due: string, today: string, done = false): { state: DueState; text: string; title: string } {
  const state = dueState(due, today, done)
  const date = new Date(`${due}T00:00:00Z`)
  const short = Number.isNaN(date.getTime()) ? due : monthDay.format(date)
  const title = Number.isNaN(date.getTime()) ? due : `Due ${fullDate.format(date)}`
  const days = daysUntil(due, today)
  switch (state) {
    case 'overdue':
      return { state, text: `Overdue · ${short}`, title }
    case 'today':
      return { state, text: 'Due today', title }
    case 'soon':
      return { state, text: days === 1 ? 'Due tomorrow' : `Due in ${days} days`, title }
    default:
      return { state, text: short, title }
  }
}
