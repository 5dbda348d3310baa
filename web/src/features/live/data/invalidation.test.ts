import { describe, expect, it } from 'vitest'
import { keysForChange, keysForNotification } from './invalidation'
import { parseLiveMessage, type LiveMessage } from './message'

const org = 'org-1'
const project = 'project-1'
const change = (m: Partial<LiveMessage>): LiveMessage => ({ id: 'e1', org_id: org, type: 'task.updated', ...m })

/** Whether the query `key` would be refreshed by invalidating `prefixes` (TanStack Query matches by prefix). */
function refreshes(prefixes: readonly (readonly unknown[])[], key: readonly unknown[]) {
  return prefixes.some((p) => p.every((part, i) => JSON.stringify(part) === JSON.stringify(key[i])))
}

describe('keysForChange', () => {
  it('refreshes the board, the list, the open task, its comments and the activity on a task move', () => {
    const keys = keysForChange(change({ project_id: project, entity_type: 'task', entity_id: 't1' }))
    expect(refreshes(keys, ['orgs', org, 'projects', project, 'tasks', 'board'])).toBe(true)
    expect(refreshes(keys, ['orgs', org, 'projects', project, 'tasks', 'list', { sort: 'position' }])).toBe(true)
    expect(refreshes(keys, ['orgs', org, 'projects', project, 'tasks', 'detail', 't1'])).toBe(true)
    expect(refreshes(keys, ['orgs', org, 'projects', project, 'tasks', 't1', 'comments'])).toBe(true)
    expect(refreshes(keys, ['orgs', org, 'projects', 'activity', project, ''])).toBe(true)
  })

  it('leaves other projects and organizations alone', () => {
    const keys = keysForChange(change({ project_id: project, entity_type: 'comment' }))
    expect(refreshes(keys, ['orgs', org, 'projects', 'project-2', 'tasks', 'board'])).toBe(false)
    expect(refreshes(keys, ['orgs', 'org-2', 'projects', project, 'tasks', 'board'])).toBe(false)
    expect(refreshes(keys, ['orgs', org, 'clients', 'list', {}])).toBe(false)
  })

  it('reads the entity from the event type when entity_type is missing', () => {
    const keys = keysForChange(change({ type: 'column.created', project_id: project }))
    expect(refreshes(keys, ['orgs', org, 'projects', project, 'tasks', 'board'])).toBe(true)
  })

  it('refreshes a task’s attachments on a file change', () => {
    const keys = keysForChange(change({ type: 'file.uploaded', entity_type: 'file', project_id: project }))
    expect(refreshes(keys, ['orgs', org, 'projects', project, 'files', 't1'])).toBe(true)
  })

  it('maps organization-wide entities to their own lists', () => {
    expect(refreshes(keysForChange(change({ type: 'client.updated', entity_type: 'client' })), ['orgs', org, 'clients', 'list', {}])).toBe(true)
    expect(refreshes(keysForChange(change({ type: 'invoice.paid', entity_type: 'invoice' })), ['orgs', org, 'invoices', 'one', 'i1'])).toBe(true)
    const clientChange = keysForChange(change({ type: 'client.updated', entity_type: 'client' }))
    expect(refreshes(clientChange, ['orgs', org, 'time', 'timer'])).toBe(false)
  })

  it('refreshes the whole organization for an entity it does not know', () => {
    const keys = keysForChange(change({ type: 'widget.spun', entity_type: 'widget' }))
    expect(refreshes(keys, ['orgs', org, 'anything'])).toBe(true)
    expect(refreshes(keys, ['orgs', 'org-2', 'anything'])).toBe(false)
  })
})

describe('keysForNotification', () => {
  it('refreshes the inbox and unread count of that organization only', () => {
    const keys = keysForNotification(change({ type: 'task_assigned' }))
    expect(refreshes(keys, ['orgs', org, 'notifications', 'unread-count'])).toBe(true)
    expect(refreshes(keys, ['orgs', org, 'notifications', 'list', { unread: true }])).toBe(true)
    expect(refreshes(keys, ['orgs', org, 'notification-preferences'])).toBe(false)
    expect(refreshes(keys, ['orgs', 'org-2', 'notifications', 'unread-count'])).toBe(false)
  })
})

describe('parseLiveMessage', () => {
  it('reads a message', () => {
    expect(parseLiveMessage('{"id":"1","org_id":"o","type":"task.created"}')).toEqual({ id: '1', org_id: 'o', type: 'task.created' })
  })

  it('refuses what is not a message', () => {
    for (const data of ['', 'not json', 'null', '42', '{"id":"1","type":"x"}', '{"org_id":"","type":"x"}', '{"org_id":"o"}']) {
      expect(parseLiveMessage(data)).toBeNull()
    }
  })
})
