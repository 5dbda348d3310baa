import { describe, expect, it } from 'vitest'
import type { TimeEntry } from './api'
import { diffEntry, formatElapsed, formatMinutes, shiftWeek, timeEntryFormSchema, toFormInput, weekDays } from './schema'

const entry: TimeEntry = {
  id: 'e1',
  project_id: 'p1',
  project_name: 'Website',
  task_id: null,
  task_title: null,
  user_id: 'u1',
  user_name: 'Ann',
  started_at: '2026-11-18T09:30:00Z',
  ended_at: '2026-11-18T10:15:00Z',
  minutes: 45,
  note: 'Copy',
  billable: true,
  billed_at: null,
  created_at: '2026-11-18T10:15:00Z',
  updated_at: '2026-11-18T10:15:00Z',
}

describe('time formatting', () => {
  it('shows minutes as hours and minutes', () => {
    expect(formatMinutes(45)).toBe('45m')
    expect(formatMinutes(65)).toBe('1h 05m')
    expect(formatElapsed(3_723_000)).toBe('1:02:03')
  })
})

describe('weeks', () => {
  it('start on Monday (UTC), even from a Sunday', () => {
    expect(weekDays('2026-11-22')).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'])
    expect(shiftWeek('2026-11-16', 1)).toBe('2026-11-23')
  })
})

describe('the manual entry form', () => {
  it('rejects zero and more than a day', () => {
    const base = { projectId: 'p1', taskId: '', date: '2026-11-18', note: '', billable: true }
    expect(timeEntryFormSchema.safeParse({ ...base, hours: '0', minutes: '0' }).success).toBe(false)
    expect(timeEntryFormSchema.safeParse({ ...base, hours: '24', minutes: '1' }).success).toBe(false)
    expect(timeEntryFormSchema.safeParse({ ...base, hours: '1', minutes: '30' }).success).toBe(true)
  })

  it('rejects a day after tomorrow', () => {
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    const r = timeEntryFormSchema.safeParse({ projectId: 'p1', taskId: '', date: later, hours: '1', minutes: '0', note: '', billable: true })
    expect(r.success).toBe(false)
  })

  it('sends only what changed, keeping the time of day when the day moves', () => {
    const values = timeEntryFormSchema.parse({ ...toFormInput(entry, '2026-11-18'), date: '2026-11-19', minutes: '50' })
    expect(diffEntry(entry, values)).toEqual({ started_at: '2026-11-19T09:30:00Z', minutes: 50 })
  })
})
