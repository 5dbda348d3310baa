import type { Activity } from './types'

/** A piece of an activity sentence: plain words, or a named thing (linked when it still has a page). */
export type Part = string | { text: string; to?: string; quoted?: boolean }

/** The family an event belongs to, which picks its icon. */
export type ActivityKind =
  | 'task'
  | 'task-done'
  | 'task-move'
  | 'due'
  | 'comment'
  | 'mention'
  | 'project'
  | 'people'
  | 'client'
  | 'file'
  | 'invoice'
  | 'time'
  | 'template'
  | 'column'
  | 'other'

/** An event as the feed shows it: the sentence (starting with who, when someone did it) and its kind. */
export interface Description {
  kind: ActivityKind
  parts: Part[]
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** "1 h 30 m", "45 m", "2 h": logged minutes as a sentence reads them. */
export function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m} m`
  return m === 0 ? `${h} h` : `${h} h ${m} m`
}

/** Field names of change lists, as people say them. */
const fieldNames: Record<string, string> = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  due_date: 'due date',
  start_date: 'start date',
  estimate_minutes: 'estimate',
  assignee_ids: 'assignees',
  subtasks: 'checklist',
  name: 'name',
  status: 'status',
  client_id: 'client',
  email: 'email',
  phone: 'phone',
  company: 'company',
  website: 'website',
  notes: 'notes',
  portal_enabled: 'portal access',
  archived: 'archive state',
  budget_amount: 'budget',
  budget_minutes: 'time budget',
  hourly_rate: 'hourly rate',
  color: 'colour',
  is_done: 'done state',
}

/** "title and due date", "title, priority and due date". */
function fieldList(changed: unknown): string {
  const names = Array.isArray(changed)
    ? [...new Set(changed.filter((f): f is string => typeof f === 'string' && f !== 'position').map((f) => fieldNames[f] ?? f.replaceAll('_', ' ')))]
    : []
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/** "time_entry" → "time entry", "member_added" → "member added": never a raw type name. */
function words(s: string): string {
  return s.replaceAll('_', ' ').replaceAll('.', ' ').trim()
}

/**
 * Describes an event: who did what to which named thing, with links into orgId's pages. Names come from the
 * event (as they were) or, for events that hold only ids, from the names the feed joins in (as they are now).
 */
export function describeActivity(a: Activity, orgId: string): Description {
  const p = a.payload
  const base = `/orgs/${orgId}`
  const projectId = a.project_id ?? (str(p.project_id) || undefined)
  // Project events name the project in their payload (as it was); project.member_* name the member there.
  const ownsName = ['project.created', 'project.updated', 'project.deleted'].includes(a.type)
  const projectName = (ownsName && str(p.name)) || (a.project_name ?? '')
  const project = (name = projectName): Part => ({ text: name || 'a project', to: projectId ? `${base}/projects/${projectId}` : undefined, quoted: !!name })
  const taskTitle = a.task?.title || str(p.title)
  // A task that is gone (deleted) is named from the event, unlinked.
  const task = (fallback = 'a task'): Part =>
    taskTitle
      ? { text: taskTitle, to: a.task && projectId ? `${base}/projects/${projectId}/board?task=${a.task.id}` : undefined, quoted: true }
      : fallback
  const client = (): Part => {
    const id = a.entity_type === 'client' ? a.entity_id : str(p.client_id)
    const name = str(p.name) || str(p.client_name)
    return { text: name || 'a client', to: a.type === 'client.deleted' || !id ? undefined : `${base}/clients/${id}`, quoted: !!name }
  }
  const invoice = (): Part => {
    const n = num(p.number)
    return { text: n !== undefined ? `invoice #${n}` : 'an invoice', to: a.type === 'invoice.deleted' ? undefined : `${base}/invoices/${a.entity_id}` }
  }
  const invoiceClient = (): Part[] => (str(p.client_name) ? [' for ', { text: str(p.client_name), to: str(p.client_id) ? `${base}/clients/${str(p.client_id)}` : undefined }] : [])
  const named = (text: string, to?: string): Part => ({ text, to, quoted: true })
  const whatWorkedOn = (): Part => (taskTitle ? task() : project())
  const minutes = num(p.minutes)

  switch (a.type) {
    // Tasks
    case 'task.created':
      return { kind: 'task', parts: ['created task ', task()] }
    case 'task.updated':
      return taskUpdated(a, task, str(p.column_to) || a.column_name || '')
    case 'task.completed':
      return { kind: 'task-done', parts: ['completed ', task()] }
    case 'task.deleted':
      return { kind: 'task', parts: ['deleted task ', task()] }
    case 'task.requested':
      return { kind: 'task', parts: ['requested ', task(), ' from the client portal'] }
    case 'task.mentioned':
      return { kind: 'mention', parts: [p.in === 'description' ? 'mentioned a teammate in the description of ' : 'mentioned a teammate on ', task()] }
    case 'task.due_soon':
      return { kind: 'due', parts: [task(), ' is due soon'] }
    case 'task.overdue':
      return { kind: 'due', parts: [task(), ' is overdue'] }
    // Comments
    case 'comment.created':
      return { kind: 'comment', parts: [p.internal ? 'left an internal comment on ' : 'commented on ', task()] }
    case 'comment.updated':
      return { kind: 'comment', parts: ['edited a comment on ', task()] }
    case 'comment.deleted':
      return { kind: 'comment', parts: ['deleted a comment on ', task()] }
    // Projects
    case 'project.created': {
      const tasks = num(p.tasks)
      return { kind: 'project', parts: ['created project ', project(), ...(tasks ? [` with ${tasks} ${tasks === 1 ? 'task' : 'tasks'}`] : [])] }
    }
    case 'project.updated': {
      const changed = Array.isArray(p.changed) ? p.changed : []
      if (changed.length === 1 && changed[0] === 'archived') return { kind: 'project', parts: [p.archived ? 'archived project ' : 'restored project ', project()] }
      if (changed.length === 1 && changed[0] === 'status' && str(p.status)) {
        return { kind: 'project', parts: ['set project ', project(), ` to ${words(str(p.status))}`] }
      }
      const fields = fieldList(changed)
      return { kind: 'project', parts: [fields ? `changed the ${fields} of project ` : 'updated project ', project()] }
    }
    case 'project.deleted':
      return { kind: 'project', parts: ['deleted project ', { text: projectName || 'a project', quoted: !!projectName }] }
    case 'project.member_added':
      return { kind: 'people', parts: ['added ', str(p.name) || 'a member', ' to ', project()] }
    case 'project.member_removed':
      return { kind: 'people', parts: ['removed ', str(p.name) || 'a member', ' from ', project()] }
    // Clients
    case 'client.created':
      return { kind: 'client', parts: ['created client ', client()] }
    case 'client.updated': {
      const fields = fieldList(p.changed)
      return { kind: 'client', parts: [fields ? `changed the ${fields} of client ` : 'updated client ', client()] }
    }
    case 'client.deleted':
      return { kind: 'client', parts: ['deleted client ', client()] }
    case 'client.portal_enabled':
      return { kind: 'client', parts: ['opened the client portal to ', client()] }
    // The team
    case 'team.member_added': {
      const name = str(p.name) || 'a member'
      const role = str(p.role)
      if (a.actor && a.actor.id === str(p.user_id)) return { kind: 'people', parts: [role === 'client' ? 'joined as a client contact' : `joined the team${role ? ` as ${role}` : ''}`] }
      return { kind: 'people', parts: ['added ', name, ' to the team'] }
    }
    case 'team.member_removed':
      return { kind: 'people', parts: ['removed ', str(p.name) || 'a member', ' from the team'] }
    // Files
    case 'file.uploaded':
      return { kind: 'file', parts: ['uploaded ', named(str(p.name) || 'a file', projectId ? `${base}/projects/${projectId}/files` : undefined), ...(a.task ? [' to ', task()] : [])] }
    case 'file.deleted':
      return { kind: 'file', parts: ['deleted file ', { text: str(p.name) || 'a file', quoted: !!str(p.name) }] }
    case 'file.shared':
      return { kind: 'file', parts: ['shared ', named(str(p.name) || 'a file', projectId ? `${base}/projects/${projectId}/files` : undefined), ' with the client'] }
    // Invoices
    case 'invoice.created':
      return { kind: 'invoice', parts: ['created ', invoice(), ...invoiceClient()] }
    case 'invoice.updated':
      return { kind: 'invoice', parts: ['updated ', invoice(), ...invoiceClient()] }
    case 'invoice.deleted':
      return { kind: 'invoice', parts: ['deleted ', invoice(), ...invoiceClient()] }
    case 'invoice.sent':
      return { kind: 'invoice', parts: ['sent ', invoice(), ...(str(p.client_name) ? [' to ', str(p.client_name)] : [])] }
    case 'invoice.link_replaced':
      return { kind: 'invoice', parts: ['replaced the payment link of ', invoice()] }
    case 'invoice.payment_recorded':
      return { kind: 'invoice', parts: ['recorded a payment on ', invoice()] }
    case 'invoice.paid':
      return { kind: 'invoice', parts: ['settled ', invoice(), ' in full'] }
    case 'invoice.overdue':
      return { kind: 'invoice', parts: [invoice(), ' is overdue'] }
    case 'invoice.voided':
      return { kind: 'invoice', parts: ['voided ', invoice()] }
    // Time
    case 'time_entry.created':
      if (p.running === true || (p.minutes === null && p.running === undefined)) return { kind: 'time', parts: ['started a timer on ', whatWorkedOn()] }
      return { kind: 'time', parts: [minutes !== undefined ? `logged ${minutesText(minutes)} on ` : 'logged time on ', whatWorkedOn()] }
    case 'time_entry.updated':
      if (p.stopped === true) return { kind: 'time', parts: [minutes !== undefined ? `logged ${minutesText(minutes)} on ` : 'stopped the timer on ', whatWorkedOn()] }
      return { kind: 'time', parts: ['edited time on ', whatWorkedOn(), ...(minutes !== undefined ? [` (now ${minutesText(minutes)})`] : [])] }
    case 'time_entry.deleted':
      return { kind: 'time', parts: [minutes !== undefined ? `deleted ${minutesText(minutes)} logged on ` : 'deleted time logged on ', whatWorkedOn()] }
    // Templates and the board
    case 'template.created':
      return { kind: 'template', parts: ['created template ', named(str(p.name) || 'a template', `${base}/templates`)] }
    case 'template.updated':
      return { kind: 'template', parts: ['updated template ', named(str(p.name) || 'a template', `${base}/templates`)] }
    case 'template.deleted':
      return { kind: 'template', parts: ['deleted template ', { text: str(p.name) || 'a template', quoted: !!str(p.name) }] }
    case 'column.created':
      return { kind: 'column', parts: ['added column ', named(str(p.name) || 'a column', projectId ? `${base}/projects/${projectId}/board` : undefined), ' to ', project()] }
    case 'column.updated':
      return { kind: 'column', parts: ['changed column ', named(str(p.name) || 'a column', projectId ? `${base}/projects/${projectId}/board` : undefined), ' on ', project()] }
    case 'column.deleted':
      return { kind: 'column', parts: ['deleted column ', { text: str(p.name) || 'a column', quoted: !!str(p.name) }, ' from ', project()] }
    default:
      return fallback(a)
  }
}

/** A task.updated: a move names the column it entered; other changes name their fields. */
function taskUpdated(a: Activity, task: (fallback?: string) => Part, columnTo: string): Description {
  const changed = Array.isArray(a.payload.changed) ? a.payload.changed.filter((f): f is string => typeof f === 'string') : []
  if (changed.includes('column')) {
    const rest = fieldList(changed.filter((f) => f !== 'column'))
    return { kind: 'task-move', parts: ['moved ', task(), columnTo ? ` to ${columnTo}` : ' to another column', ...(rest ? [` and changed its ${rest}`] : [])] }
  }
  if (changed.length === 1 && changed[0] === 'subtasks') return { kind: 'task', parts: ['updated the checklist of ', task()] }
  if (changed.length === 1 && changed[0] === 'position') return { kind: 'task-move', parts: ['reordered ', task(), columnTo ? ` in ${columnTo}` : ''] }
  if (changed.length === 1 && changed[0] === 'assignee_ids') return { kind: 'task', parts: ['changed who works on ', task()] }
  const fields = fieldList(changed)
  return { kind: 'task', parts: [fields ? `changed the ${fields} of ` : 'updated ', task()] }
}

/** An event type this version does not know: readable words from its parts, and the thing's name if any. */
function fallback(a: Activity): Description {
  const [entity = '', verb = ''] = a.type.split('.')
  const name = str(a.payload.name) || str(a.payload.title) || a.task?.title || ''
  const thing = words(entity || a.entity_type) || 'something'
  const article = /^[aeiou]/.test(thing) ? 'an' : 'a'
  return { kind: 'other', parts: [`${words(verb) || 'changed'} ${article} ${thing}`, ...(name ? [' ', { text: name, quoted: true }] : [])] }
}

/** The sentence as plain text, quoting named things: for titles, tests and screen readers. */
export function plainText(parts: Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.quoted ? `‘${p.text}’` : p.text)).join('')
}

/** The day heading of an event: "Today", "Yesterday", or its date, in the reader's time zone. */
export function dayLabel(iso: string, now: Date, format: (d: Date) => string): string {
  const d = new Date(iso)
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime()
  const diff = Math.round((day(now) - day(d)) / 86_400_000)
  if (diff === 0) return 'Today'
  if (diff === 1) return 'Yesterday'
  return format(d)
}

/** The actions the activity filter offers, by what people call them (the API filters on the type). */
export const activityActions: { type: string; label: string }[] = [
  { type: 'task.created', label: 'Task created' },
  { type: 'task.updated', label: 'Task moved or changed' },
  { type: 'task.completed', label: 'Task completed' },
  { type: 'task.deleted', label: 'Task deleted' },
  { type: 'task.requested', label: 'Task requested by a client' },
  { type: 'task.mentioned', label: 'Someone mentioned' },
  { type: 'task.due_soon', label: 'Task due soon' },
  { type: 'task.overdue', label: 'Task overdue' },
  { type: 'comment.created', label: 'Comment posted' },
  { type: 'comment.updated', label: 'Comment edited' },
  { type: 'comment.deleted', label: 'Comment deleted' },
  { type: 'project.created', label: 'Project created' },
  { type: 'project.updated', label: 'Project changed' },
  { type: 'project.deleted', label: 'Project deleted' },
  { type: 'project.member_added', label: 'Added to a project' },
  { type: 'project.member_removed', label: 'Removed from a project' },
  { type: 'client.created', label: 'Client created' },
  { type: 'client.updated', label: 'Client changed' },
  { type: 'client.deleted', label: 'Client deleted' },
  { type: 'client.portal_enabled', label: 'Client portal opened' },
  { type: 'team.member_added', label: 'Joined the team' },
  { type: 'team.member_removed', label: 'Left the team' },
  { type: 'file.uploaded', label: 'File uploaded' },
  { type: 'file.shared', label: 'File shared with a client' },
  { type: 'file.deleted', label: 'File deleted' },
  { type: 'invoice.created', label: 'Invoice created' },
  { type: 'invoice.updated', label: 'Invoice changed' },
  { type: 'invoice.sent', label: 'Invoice sent' },
  { type: 'invoice.payment_recorded', label: 'Payment recorded' },
  { type: 'invoice.paid', label: 'Invoice paid' },
  { type: 'invoice.overdue', label: 'Invoice overdue' },
  { type: 'invoice.voided', label: 'Invoice voided' },
  { type: 'invoice.link_replaced', label: 'Payment link replaced' },
  { type: 'invoice.deleted', label: 'Invoice deleted' },
  { type: 'time_entry.created', label: 'Time logged or timer started' },
  { type: 'time_entry.updated', label: 'Time stopped or edited' },
  { type: 'time_entry.deleted', label: 'Time deleted' },
  { type: 'template.created', label: 'Template created' },
  { type: 'template.updated', label: 'Template changed' },
  { type: 'template.deleted', label: 'Template deleted' },
  { type: 'column.created', label: 'Board column added' },
  { type: 'column.updated', label: 'Board column changed' },
  { type: 'column.deleted', label: 'Board column deleted' },
]

/** What each entity type is called in the "About" filter. */
export const activityEntityLabels: Record<string, string> = {
  client: 'Clients',
  project: 'Projects',
  task: 'Tasks',
  comment: 'Comments',
  file: 'Files',
  member: 'Team members',
  invoice: 'Invoices',
  time_entry: 'Time',
}
