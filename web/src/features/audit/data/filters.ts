/** The audit log's filters, as kept in the URL's query string (the same names the API takes). */
export interface AuditFilters {
  from?: string
  to?: string
  actor_id?: string
  action?: string
  entity_type?: string
  q?: string
}

/** The URL parameters the filters live in, in the order the form shows them. */
export const auditFilterNames = ['from', 'to', 'actor_id', 'action', 'entity_type', 'q'] as const

/** Reads the filters from the URL, dropping empty values so an empty form asks for everything. */
export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  const out: AuditFilters = {}
  for (const name of auditFilterNames) {
    const value = params.get(name)?.trim()
    if (value) out[name] = value
  }
  return out
}

/** The entity prefixes of actions ("member" for member.invited, member.removed…), in catalogue order. */
export function actionGroups(actions: readonly string[]): string[] {
  const groups: string[] = []
  for (const action of actions) {
    const group = action.split('.')[0]
    if (!groups.includes(group)) groups.push(group)
  }
  return groups
}

/** "member.role_changed" → "Member role changed": an action as people read it. */
export function humanize(key: string): string {
  const words = key.replace(/[._]/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** One changed field of an update: its value before and after. */
export interface FieldChange {
  field: string
  before: string
  after: string
}

/** A metadata value as text: strings as they are, empty as "—", lists joined, the rest as JSON. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(displayValue).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Splits a row's metadata into the fields its before/after changed and the other facts, each as text:
 * {before: {role: "member"}, after: {role: "manager"}, email: "…"} gives one change and one fact.
 */
export function describeMetadata(metadata: Record<string, unknown>): { changes: FieldChange[]; facts: [string, string][] } {
  const before = isRecord(metadata.before) ? metadata.before : {}
  const after = isRecord(metadata.after) ? metadata.after : {}
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  const changes = fields.map((field) => ({ field, before: displayValue(before[field]), after: displayValue(after[field]) }))
  const facts = Object.entries(metadata)
    .filter(([key]) => !(key === 'before' && isRecord(metadata.before)) && !(key === 'after' && isRecord(metadata.after)))
    .map(([key, value]): [string, string] => [key, displayValue(value)])
  return { changes, facts }
}
