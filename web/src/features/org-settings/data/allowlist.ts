import type { AllowlistEntry } from './security'

/** One editable row of the IP allowlist; `key` keeps React's rows (and their errors) apart. */
export interface AllowlistRow {
  key: number
  cidr: string
  label: string
}

let nextKey = 1

/** A row with a fresh key. */
export function allowlistRow(cidr = '', label = ''): AllowlistRow {
  return { key: nextKey++, cidr, label }
}

/** The editor's rows for a saved list (one empty row when the list is empty, ready to type in). */
export function rowsFromEntries(entries: readonly AllowlistEntry[]): AllowlistRow[] {
  return entries.length === 0 ? [allowlistRow()] : entries.map((e) => allowlistRow(e.cidr, e.label))
}

/**
 * The list to save: trimmed, blank rows dropped. `rowKeys[i]` is the row entry i came from, so the server's
 * "entries[i].cidr" errors land on the right row.
 */
export function entriesFromRows(rows: readonly AllowlistRow[]): { entries: AllowlistEntry[]; rowKeys: number[] } {
  const kept = rows.filter((r) => r.cidr.trim() !== '' || r.label.trim() !== '')
  return { entries: kept.map((r) => ({ cidr: r.cidr.trim(), label: r.label.trim() })), rowKeys: kept.map((r) => r.key) }
}

/** Whether a row names exactly this address (alone, or as its one-address network). */
export function listsAddress(rows: readonly AllowlistRow[], ip: string): boolean {
  const single = ip.includes(':') ? `${ip}/128` : `${ip}/32`
  return rows.some((r) => r.cidr.trim() === ip || r.cidr.trim() === single)
}

/** The rows with the current address added: into the first blank row, else as a new row. */
export function withCurrentAddress(rows: readonly AllowlistRow[], ip: string, label: string): AllowlistRow[] {
  if (ip === '' || listsAddress(rows, ip)) return [...rows]
  const blank = rows.findIndex((r) => r.cidr.trim() === '' && r.label.trim() === '')
  if (blank === -1) return [...rows, allowlistRow(ip, label)]
  return rows.map((r, i) => (i === blank ? { ...r, cidr: ip, label } : r))
}

/** Server field errors ("entries[2].cidr") keyed by row; the rest (the lock-out refusal) under "list". */
export function allowlistErrors(fieldErrors: Record<string, string>, rowKeys: readonly number[]): { rows: Record<number, string>; list?: string } {
  const rows: Record<number, string> = {}
  let list: string | undefined
  for (const [field, message] of Object.entries(fieldErrors)) {
    const match = /^entries\[(\d+)\]/.exec(field)
    const key = match ? rowKeys[Number(match[1])] : undefined
    if (key !== undefined) rows[key] ??= message
    else list ??= message
  }
  return { rows, list }
}
