import type { TimeEntry } from './api'

/** One row of the week grid: a project, or a task of it, with the week's entries per day. */
export interface GridRow {
  key: string
  projectId: string
  projectName: string
  taskId: string | null
  taskTitle: string | null
  /** Entries per day, in the order of the week's days. */
  cells: TimeEntry[][]
  /** Every entry of the row is non-billable. */
  nonBillable: boolean
}

/** The key of a project/task row. */
export function rowKey(projectId: string, taskId: string | null): string {
  return `${projectId}/${taskId ?? ''}`
}

/**
 * The grid's rows for one person's week: one per project/task with time in the week, sorted by project
 * then task, plus the rows the person added and has not filled yet (`extra`).
 */
export function gridRows(entries: TimeEntry[], days: string[], extra: Omit<GridRow, 'cells' | 'nonBillable'>[] = []): GridRow[] {
  const rows = new Map<string, GridRow>()
  const rowFor = (r: Omit<GridRow, 'cells' | 'nonBillable'>) => {
    let row = rows.get(r.key)
    if (!row) {
      row = { ...r, cells: days.map(() => []), nonBillable: true }
      rows.set(r.key, row)
    }
    return row
  }
  for (const e of entries) {
    const day = days.indexOf(e.started_at.slice(0, 10))
    if (day < 0) continue
    const row = rowFor({
      key: rowKey(e.project_id, e.task_id),
      projectId: e.project_id,
      projectName: e.project_name,
      taskId: e.task_id,
      taskTitle: e.task_title,
    })
    row.cells[day].push(e)
    if (e.billable) row.nonBillable = false
  }
  for (const r of extra) {
    if (!rows.has(r.key)) rowFor(r).nonBillable = false
  }
  return [...rows.values()].sort(
    (a, b) => a.projectName.localeCompare(b.projectName) || (a.taskTitle ?? '').localeCompare(b.taskTitle ?? ''),
  )
}

/** Minutes of an entry; a running one counts from its start until `now`. */
export function entryMinutes(e: TimeEntry, now: number): number {
  if (e.minutes !== null) return e.minutes
  return Math.max(0, Math.floor((now - Date.parse(e.started_at)) / 60_000))
}

/** Minutes of a list of entries, running ones counted live. */
export function sumMinutes(entries: TimeEntry[], now: number): number {
  return entries.reduce((sum, e) => sum + entryMinutes(e, now), 0)
}

/** "2:30" for a cell: hours and minutes as typed back into it; empty for nothing. */
export function cellText(minutes: number): string {
  if (minutes === 0) return ''
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`
}

/**
 * What a person typed into a cell, in minutes: "2:30", "2.5" or "2,5" (hours), "2h 30m", "90m", "3" (hours);
 * empty is 0. Returns an error message for anything else or more than 24 hours.
 */
export function parseCell(text: string): { minutes: number } | { error: string } {
  const t = text.trim().toLowerCase()
  if (t === '') return { minutes: 0 }
  let minutes: number | undefined
  let m: RegExpMatchArray | null
  if ((m = t.match(/^(\d{1,2}):([0-5]\d)$/))) minutes = Number(m[1]) * 60 + Number(m[2])
  else if ((m = t.match(/^(\d{1,2})(?:[.,](\d{1,2}))?$/))) minutes = Math.round(Number(`${m[1]}.${m[2] ?? 0}`) * 60)
  else if ((m = t.match(/^(?:(\d{1,2})\s*h)?\s*(?:(\d{1,4})\s*m)?$/)) && (m[1] || m[2])) minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)
  if (minutes === undefined) return { error: 'Type hours as 1:30, 1.5 or 1h 30m' }
  if (minutes > 1440) return { error: 'A day has at most 24 hours' }
  return { minutes }
}

/** What saving a cell does to its entries. */
export type CellChange =
  | { kind: 'none' }
  | { kind: 'create'; minutes: number }
  | { kind: 'update'; entryId: string; minutes: number }
  | { kind: 'delete'; entryId: string }
  | { kind: 'refuse'; reason: string }

/**
 * How a cell reaches `target` minutes: an empty cell gets a new entry; a cell of one entry has it changed
 * (or deleted at 0); more time in a cell of several entries is a new entry for the difference. Less time
 * in a cell of several entries, or any change to billed or running time, is refused with the reason: the
 * person picks which entry to change in the list.
 */
export function cellChange(entries: TimeEntry[], target: number): CellChange {
  const current = entries.reduce((sum, e) => sum + (e.minutes ?? 0), 0)
  if (target === current && entries.every((e) => e.minutes !== null)) return { kind: 'none' }
  if (entries.some((e) => e.minutes === null)) return { kind: 'refuse', reason: 'The timer is running here: stop it first.' }
  if (entries.some((e) => e.billed_at)) return { kind: 'refuse', reason: 'This time is on an invoice and can no longer change.' }
  if (entries.length === 0) return { kind: 'create', minutes: target }
  if (entries.length === 1) {
    return target === 0 ? { kind: 'delete', entryId: entries[0].id } : { kind: 'update', entryId: entries[0].id, minutes: target }
  }
  if (target > current) return { kind: 'create', minutes: target - current }
  return { kind: 'refuse', reason: `This day has ${entries.length} entries here: change them in the list view.` }
}
