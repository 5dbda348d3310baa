import { z } from 'zod'
import type { TimeEntry, TimeEntryCreate, TimeEntryUpdate } from './api'

/** "1h 05m", "45m": minutes as a person reads them. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`
}

/** "1:02:03": a running timer's elapsed time. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`
}

/** YYYY-MM-DD of a date in UTC (the API's days are UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** The seven UTC days (Monday first) of the week containing `day`. */
export function weekDays(day: string): string[] {
  const date = new Date(`${day}T00:00:00Z`)
  const monday = new Date(date)
  monday.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7))
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(monday)
    d.setUTCDate(monday.getUTCDate() + i)
    return isoDay(d)
  })
}

/** The same weekday `weeks` weeks later (negative: earlier). */
export function shiftWeek(day: string, weeks: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 7 * weeks)
  return isoDay(d)
}

/** The last day the API accepts for logged time: tomorrow (UTC). */
function latestDay(): string {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + 1)
  return isoDay(d)
}

/** The manual entry form, checked like the API checks it. */
export const timeEntryFormSchema = z.object({
  projectId: z.string().min(1, 'Choose a project'),
  taskId: z.string(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date')
    .refine((d) => d <= latestDay(), 'must not be later than tomorrow'),
  hours: z.coerce.number<string>().int('Whole hours').min(0).max(24),
  minutes: z.coerce.number<string>().int('Whole minutes').min(0).max(59),
  note: z.string().max(2000, 'must be at most 2000 characters'),
  billable: z.boolean(),
}).refine((v) => v.hours * 60 + v.minutes >= 1 && v.hours * 60 + v.minutes <= 1440, {
  message: 'must be between 1 minute and 24 hours',
  path: ['minutes'],
})

/** What the form holds while editing. */
export type TimeEntryFormInput = z.input<typeof timeEntryFormSchema>
/** What the form yields once valid. */
export type TimeEntryFormValues = z.output<typeof timeEntryFormSchema>

/** The form fields server errors can land on. */
export const timeEntryFormFields = ['projectId', 'taskId', 'date', 'minutes', 'note'] as const

/** The form field for each API body field (as ApiError.fieldErrors names them). */
export const apiFieldToForm: Record<string, (typeof timeEntryFormFields)[number]> = {
  project_id: 'projectId',
  task_id: 'taskId',
  date: 'date',
  started_at: 'date',
  minutes: 'minutes',
  note: 'note',
}

/** The form's starting values: an existing entry's, or today's blank. */
export function toFormInput(entry: TimeEntry | undefined, day: string, projectId = ''): TimeEntryFormInput {
  const minutes = entry?.minutes ?? 0
  return {
    projectId: entry?.project_id ?? projectId,
    taskId: entry?.task_id ?? '',
    date: entry ? isoDay(new Date(entry.started_at)) : day,
    hours: String(Math.floor(minutes / 60)),
    minutes: String(minutes % 60),
    note: entry?.note ?? '',
    billable: entry?.billable ?? true,
  }
}

/** The create body for valid form values. */
export function toCreateBody(v: TimeEntryFormValues): TimeEntryCreate {
  return {
    project_id: v.projectId,
    task_id: v.taskId || undefined,
    date: v.date,
    minutes: v.hours * 60 + v.minutes,
    note: v.note,
    billable: v.billable,
  }
}

/** Only what changed, for PATCH; a changed day keeps the entry's time of day. */
export function diffEntry(entry: TimeEntry, v: TimeEntryFormValues): TimeEntryUpdate {
  const out: TimeEntryUpdate = {}
  const minutes = v.hours * 60 + v.minutes
  if (v.projectId !== entry.project_id) out.project_id = v.projectId
  if (v.taskId !== (entry.task_id ?? '')) out.task_id = v.taskId
  if (v.date !== isoDay(new Date(entry.started_at))) out.started_at = `${v.date}${entry.started_at.slice(10)}`
  if (entry.minutes !== null && minutes !== entry.minutes) out.minutes = minutes
  if (v.note !== entry.note) out.note = v.note
  if (v.billable !== entry.billable) out.billable = v.billable
  return out
}

/** Owners, admins and managers see and edit everyone's time (the API's rule); others only their own. */
export function seesEveryone(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin' || role === 'manager'
}
