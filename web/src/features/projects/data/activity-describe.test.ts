import { describe, expect, it } from 'vitest'
import { activityActions, dayLabel, describeActivity, minutesText, plainText } from './activity-describe'
import type { Activity } from './types'

const org = 'org1'
const project = 'p1'
const task = { id: 't1', title: 'Copy deck v1' }

function event(type: string, payload: Record<string, unknown> = {}, extra: Partial<Activity> = {}): Activity {
  const [entity] = type.split('.')
  return {
    id: 'e1',
    type,
    entity_type: entity === 'team' ? 'member' : entity,
    entity_id: 'x1',
    project_id: project,
    actor: { id: 'u1', name: 'Mia' },
    payload,
    created_at: '2026-12-07T10:00:00Z',
    project_name: 'Website',
    task: undefined,
    column_name: null,
    ...extra,
  }
}

const say = (a: Activity) => plainText(describeActivity(a, org).parts)
const links = (a: Activity) => describeActivity(a, org).parts.flatMap((p) => (typeof p === 'object' && p.to ? [p.to] : []))

/** One realistic event of every type the server records, with the sentence the feed shows after the actor's name. */
const cases: [Activity, string][] = [
  [event('task.created', { title: 'Copy deck v1' }, { task }), 'created task ‘Copy deck v1’'],
  [event('task.updated', { title: 'Copy deck v1', changed: ['column', 'position'], column_to: 'Review' }, { task }), 'moved ‘Copy deck v1’ to Review'],
  [event('task.updated', { title: 'Copy deck v1', changed: ['due_date', 'title'] }, { task }), 'changed the due date and title of ‘Copy deck v1’'],
  [event('task.updated', { title: 'Copy deck v1', changed: ['subtasks'] }, { task }), 'updated the checklist of ‘Copy deck v1’'],
  [event('task.completed', { title: 'Copy deck v1' }, { task }), 'completed ‘Copy deck v1’'],
  [event('task.deleted', { title: 'Copy deck v1' }), 'deleted task ‘Copy deck v1’'],
  [event('task.requested', { title: 'New banner' }, { task: { id: 't2', title: 'New banner' } }), 'requested ‘New banner’ from the client portal'],
  [event('task.mentioned', { mentioned_user_id: 'u2', comment_id: 'c1' }, { task }), 'mentioned a teammate on ‘Copy deck v1’'],
  [event('task.due_soon', { title: 'Copy deck v1', due_date: '2026-12-08' }, { task, actor: undefined }), '‘Copy deck v1’ is due soon'],
  [event('task.overdue', { title: 'Copy deck v1', due_date: '2026-12-01' }, { task, actor: undefined }), '‘Copy deck v1’ is overdue'],
  [event('comment.created', { task_id: 't1', internal: false }, { task }), 'commented on ‘Copy deck v1’'],
  [event('comment.updated', { task_id: 't1' }, { task }), 'edited a comment on ‘Copy deck v1’'],
  [event('comment.deleted', { task_id: 't1' }, { task }), 'deleted a comment on ‘Copy deck v1’'],
  [event('project.created', { name: 'Website' }), 'created project ‘Website’'],
  [event('project.updated', { name: 'Website', changed: ['status'], status: 'on_hold' }), 'set project ‘Website’ to on hold'],
  [event('project.updated', { name: 'Website', changed: ['archived'], archived: true }), 'archived project ‘Website’'],
  [event('project.deleted', { name: 'Website' }, { project_name: null }), 'deleted project ‘Website’'],
  [event('project.member_added', { user_id: 'u3', name: 'Dana' }), 'added Dana to ‘Website’'],
  [event('project.member_removed', { user_id: 'u3', name: 'Dana' }), 'removed Dana from ‘Website’'],
  [event('client.created', { client_id: 'c1', name: 'Acme' }, { project_id: null, entity_id: 'c1' }), 'created client ‘Acme’'],
  [event('client.updated', { client_id: 'c1', name: 'Acme', changed: ['email'] }, { project_id: null, entity_id: 'c1' }), 'changed the email of client ‘Acme’'],
  [event('client.deleted', { client_id: 'c1', name: 'Acme' }, { project_id: null, entity_id: 'c1' }), 'deleted client ‘Acme’'],
  [event('client.portal_enabled', { client_id: 'c1', client_name: 'Acme' }, { project_id: null, entity_id: 'c1' }), 'opened the client portal to ‘Acme’'],
  [event('team.member_added', { user_id: 'u1', name: 'Mia', role: 'member' }, { project_id: null }), 'joined the team as member'],
  [event('team.member_removed', { user_id: 'u3', name: 'Dana', role: 'member' }, { project_id: null }), 'removed Dana from the team'],
  [event('file.uploaded', { name: 'brief.pdf', task_id: 't1' }, { task }), 'uploaded ‘brief.pdf’ to ‘Copy deck v1’'],
  [event('file.deleted', { name: 'brief.pdf' }), 'deleted file ‘brief.pdf’'],
  [event('file.shared', { name: 'brief.pdf' }), 'shared ‘brief.pdf’ with the client'],
  [event('invoice.created', { number: 7, client_name: 'Acme', client_id: 'c1' }), 'created invoice #7 for Acme'],
  [event('invoice.updated', { number: 7, client_name: 'Acme', client_id: 'c1' }), 'updated invoice #7 for Acme'],
  [event('invoice.deleted', { number: 7, client_name: 'Acme', client_id: 'c1' }), 'deleted invoice #7 for Acme'],
  [event('invoice.sent', { number: 7, client_name: 'Acme' }), 'sent invoice #7 to Acme'],
  [event('invoice.link_replaced', { number: 7 }), 'replaced the payment link of invoice #7'],
  [event('invoice.payment_recorded', { number: 7, amount: 100 }), 'recorded a payment on invoice #7'],
  [event('invoice.paid', { number: 7 }), 'settled invoice #7 in full'],
  [event('invoice.overdue', { number: 7 }, { actor: undefined }), 'invoice #7 is overdue'],
  [event('invoice.voided', { number: 7 }), 'voided invoice #7'],
  [event('time_entry.created', { minutes: 90, running: false, task_id: 't1' }, { task: { id: 't1', title: 'Copy deck' } }), 'logged 1 h 30 m on ‘Copy deck’'],
  [event('time_entry.created', { minutes: null, running: true }), 'started a timer on ‘Website’'],
  [event('time_entry.updated', { minutes: 45, running: false, stopped: true }), 'logged 45 m on ‘Website’'],
  [event('time_entry.updated', { minutes: 60, running: false }), 'edited time on ‘Website’ (now 1 h)'],
  [event('time_entry.deleted', { minutes: 30 }), 'deleted 30 m logged on ‘Website’'],
  [event('template.created', { name: 'Launch' }, { project_id: null }), 'created template ‘Launch’'],
  [event('template.updated', { name: 'Launch' }, { project_id: null }), 'updated template ‘Launch’'],
  [event('template.deleted', { name: 'Launch' }, { project_id: null }), 'deleted template ‘Launch’'],
  [event('column.created', { name: 'QA' }), 'added column ‘QA’ to ‘Website’'],
  [event('column.updated', { name: 'QA' }), 'changed column ‘QA’ on ‘Website’'],
  [event('column.deleted', { name: 'QA' }), 'deleted column ‘QA’ from ‘Website’'],
]

describe('describeActivity', () => {
  it.each(cases.map(([a, want]) => [a.type, a, want] as const))('%s reads as a sentence', (_type, a, want) => {
    expect(say(a)).toBe(want)
  })

  it('has a sentence, not the fallback, for every event type the server records', () => {
    // The event types are the Event* constants of the Go domain package.
    const sources = import.meta.glob<string>(['../../../../../domain/*.go', '!../../../../../domain/*_test.go'], { query: '?raw', import: 'default', eager: true })
    const types = new Set<string>()
    for (const source of Object.values(sources)) {
      for (const m of source.matchAll(/\bEvent[A-Z]\w*\s*=\s*"([a-z_]+\.[a-z_]+)"/g)) types.add(m[1])
    }
    expect(types.size).toBeGreaterThan(40)
    const covered = new Set(cases.map(([a]) => a.type))
    const filterable = new Set(activityActions.map((a) => a.type))
    for (const type of types) {
      expect(covered, `a test case for ${type}`).toContain(type)
      expect(filterable, `a filter label for ${type}`).toContain(type)
      expect(describeActivity(event(type), org).kind, `a sentence for ${type}`).not.toBe('other')
    }
  })

  it('never shows a raw type name, even with an empty payload', () => {
    for (const [a] of cases) {
      const text = say({ ...a, payload: {}, task: undefined, project_name: null })
      expect(text, a.type).not.toMatch(/_|\.[a-z]/)
      expect(text, a.type).not.toContain(a.type)
    }
  })

  it('links what still exists and leaves the deleted unlinked', () => {
    expect(links(cases[1][0])).toEqual([`/orgs/${org}/projects/${project}/board?task=t1`])
    expect(links(event('client.created', { name: 'Acme' }, { entity_id: 'c1', project_id: null }))).toEqual([`/orgs/${org}/clients/c1`])
    expect(links(event('client.deleted', { name: 'Acme' }, { entity_id: 'c1', project_id: null }))).toEqual([])
    expect(links(event('task.deleted', { title: 'Gone' }))).toEqual([])
    expect(links(event('invoice.sent', { number: 7 }, { entity_id: 'i1' }))).toEqual([`/orgs/${org}/invoices/i1`])
    expect(links(event('project.created', { name: 'Website' }))).toEqual([`/orgs/${org}/projects/${project}`])
  })

  it('names a task that was deleted since from the event, and a moved task by its column now when the event lacks it', () => {
    expect(say(event('task.completed', { title: 'Old title' }))).toBe('completed ‘Old title’')
    expect(say(event('task.updated', { title: 'T', changed: ['column'] }, { column_name: 'Done' }))).toBe('moved ‘T’ to Done')
    expect(say(event('task.updated', { title: 'T', changed: ['column'] }))).toBe('moved ‘T’ to another column')
  })

  it('reads an unknown type as words, never raw', () => {
    expect(say(event('contract.signed_off', { name: 'MSA' }))).toBe('signed off a contract ‘MSA’')
    expect(say(event('expense_report.approved'))).toBe('approved an expense report')
    expect(describeActivity(event('weird'), org).kind).toBe('other')
    expect(say(event('weird'))).not.toMatch(/_/)
  })
})

describe('minutesText', () => {
  it('reads hours and minutes', () => {
    expect(minutesText(90)).toBe('1 h 30 m')
    expect(minutesText(45)).toBe('45 m')
    expect(minutesText(120)).toBe('2 h')
  })
})

describe('dayLabel', () => {
  const now = new Date(2026, 11, 7, 9, 0)
  const fmt = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`
  it('says Today, Yesterday, then the date, by the local calendar day', () => {
    expect(dayLabel(new Date(2026, 11, 7, 0, 5).toISOString(), now, fmt)).toBe('Today')
    expect(dayLabel(new Date(2026, 11, 6, 23, 55).toISOString(), now, fmt)).toBe('Yesterday')
    expect(dayLabel(new Date(2026, 11, 5, 12).toISOString(), now, fmt)).toBe('2026-12-5')
  })
})
