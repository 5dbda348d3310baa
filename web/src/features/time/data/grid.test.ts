import { describe, expect, it } from 'vitest'
import type { TimeEntry } from './api'
import { cellChange, cellText, gridRows, parseCell, sumMinutes } from './grid'

const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']

function entry(over: Partial<TimeEntry>): TimeEntry {
  return {
    id: 'e1',
    project_id: 'p1',
    project_name: 'Website',
    task_id: null,
    task_title: null,
    user_id: 'u1',
    user_name: 'Dana',
    started_at: '2026-12-07T09:00:00Z',
    ended_at: '2026-12-07T10:00:00Z',
    minutes: 60,
    note: '',
    billable: true,
    billed_at: null,
    created_at: '2026-12-07T10:00:00Z',
    updated_at: '2026-12-07T10:00:00Z',
    ...over,
  }
}

describe('parseCell', () => {
  it.each([
    ['', 0],
    ['2:30', 150],
    ['0:45', 45],
    ['2.5', 150],
    ['2,25', 135],
    ['3', 180],
    ['2h 30m', 150],
    ['2h', 120],
    ['90m', 90],
    [' 1H30M ', 90],
  ])('reads %j as %i minutes', (text, minutes) => {
    expect(parseCell(text)).toEqual({ minutes })
  })

  it.each(['abc', '2:75', '1:2:3', 'h', '-1'])('refuses %j with a hint', (text) => {
    expect(parseCell(text)).toEqual({ error: 'Type hours as 1:30, 1.5 or 1h 30m' })
  })

  it('refuses more than a day', () => {
    expect(parseCell('25')).toEqual({ error: 'A day has at most 24 hours' })
  })
})

describe('cellText', () => {
  it('writes hours and minutes, nothing for zero', () => {
    expect(cellText(0)).toBe('')
    expect(cellText(150)).toBe('2:30')
    expect(cellText(5)).toBe('0:05')
  })
})

describe('gridRows', () => {
  it('puts entries in project/task rows by day, sorted, marking non-billable rows', () => {
    const rows = gridRows(
      [
        entry({ id: 'a', project_id: 'p2', project_name: 'Zebra', billable: false }),
        entry({ id: 'b', started_at: '2026-12-09T09:00:00Z' }),
        entry({ id: 'c', task_id: 't1', task_title: '#1 Copy', started_at: '2026-12-09T11:00:00Z' }),
        entry({ id: 'd', started_at: '2026-12-09T13:00:00Z' }),
        entry({ id: 'out', started_at: '2026-12-20T09:00:00Z' }),
      ],
      days,
      [{ key: 'p3/', projectId: 'p3', projectName: 'Added', taskId: null, taskTitle: null }],
    )
    expect(rows.map((r) => [r.projectName, r.taskTitle, r.nonBillable])).toEqual([
      ['Added', null, false],
      ['Website', null, false],
      ['Website', '#1 Copy', false],
      ['Zebra', null, true],
    ])
    expect(rows[1].cells[2].map((e) => e.id)).toEqual(['b', 'd'])
    expect(rows[1].cells[0]).toEqual([])
    expect(rows.flatMap((r) => r.cells.flat()).some((e) => e.id === 'out')).toBe(false)
  })

  it('counts a running timer until now', () => {
    const now = Date.parse('2026-12-07T10:30:00Z')
    expect(sumMinutes([entry({ minutes: 30 }), entry({ id: 'r', minutes: null, ended_at: null, started_at: '2026-12-07T10:00:00Z' })], now)).toBe(60)
  })
})

describe('cellChange', () => {
  it('creates, updates and deletes a single entry', () => {
    expect(cellChange([], 90)).toEqual({ kind: 'create', minutes: 90 })
    expect(cellChange([], 0)).toEqual({ kind: 'none' })
    expect(cellChange([entry({})], 60)).toEqual({ kind: 'none' })
    expect(cellChange([entry({})], 90)).toEqual({ kind: 'update', entryId: 'e1', minutes: 90 })
    expect(cellChange([entry({})], 0)).toEqual({ kind: 'delete', entryId: 'e1' })
  })

  it('adds the difference to a cell of several entries but will not guess which to shorten', () => {
    const two = [entry({ id: 'a' }), entry({ id: 'b', minutes: 30 })]
    expect(cellChange(two, 120)).toEqual({ kind: 'create', minutes: 30 })
    expect(cellChange(two, 60)).toEqual({ kind: 'refuse', reason: 'This day has 2 entries here: change them in the list view.' })
  })

  it('leaves billed and running time alone', () => {
    expect(cellChange([entry({ billed_at: '2026-12-08T00:00:00Z' })], 30).kind).toBe('refuse')
    expect(cellChange([entry({ minutes: null, ended_at: null })], 30).kind).toBe('refuse')
  })
})
