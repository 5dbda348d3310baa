import { describe, expect, it } from 'vitest'
import { cellKey, changesFrom, notificationTypes, preferenceMatrix, setColumn, type NotificationPreference } from './preferences'

const pref = (type: string, group: NotificationPreference['group'], channel: NotificationPreference['channel'], more: Partial<NotificationPreference> = {}) =>
  ({ type, label: `Label ${type}`, group, channel, enabled: true, default: true, locked: false, ...more }) satisfies NotificationPreference

const prefs: NotificationPreference[] = [
  pref('task_assigned', 'tasks', 'in_app'),
  pref('task_assigned', 'tasks', 'email'),
  pref('task_assigned', 'tasks', 'push', { enabled: false }),
  pref('mentioned', 'comments', 'in_app'),
  pref('mentioned', 'comments', 'email', { enabled: false, default: false }),
  pref('forced_logout', 'security', 'email', { locked: true }),
]

describe('preferenceMatrix', () => {
  it('groups the rows in the order the server lists them, one cell per channel', () => {
    const groups = preferenceMatrix(prefs)
    expect(groups.map((g) => g.group)).toEqual(['tasks', 'comments', 'security'])
    expect(groups[0].rows.map((r) => r.type)).toEqual(['task_assigned'])
    expect(Object.keys(groups[0].rows[0].cells)).toEqual(['in_app', 'email', 'push'])
    expect(groups[1].rows[0].cells.email?.enabled).toBe(false)
  })

  it('lists the types for the inbox filter', () => {
    expect(notificationTypes(prefs)).toEqual([
      { type: 'task_assigned', label: 'Label task_assigned' },
      { type: 'mentioned', label: 'Label mentioned' },
      { type: 'forced_logout', label: 'Label forced_logout' },
    ])
  })
})

describe('changesFrom', () => {
  it('sends only the cells whose choice differs from the saved one', () => {
    const draft = new Map([
      [cellKey('task_assigned', 'in_app'), true],
      [cellKey('task_assigned', 'push'), true],
      [cellKey('mentioned', 'email'), false],
    ])
    expect(changesFrom(prefs, draft)).toEqual([{ type: 'task_assigned', channel: 'push', enabled: true }])
    expect(changesFrom(prefs, new Map())).toEqual([])
  })
})

describe('setColumn', () => {
  it('switches every unlocked cell of the channel and leaves the rest alone', () => {
    const draft = setColumn(prefs, new Map([[cellKey('task_assigned', 'push'), true]]), 'email', false)
    expect(changesFrom(prefs, draft)).toEqual([
      { type: 'task_assigned', channel: 'email', enabled: false },
      { type: 'task_assigned', channel: 'push', enabled: true },
    ])
    expect(draft.has(cellKey('forced_logout', 'email'))).toBe(false)
  })
})
