import { describe, expect, it } from 'vitest'
import { daysUntil, dueLabel, dueState, localToday } from './due'

describe('dueState', () => {
  const today = '2026-03-10'
  it('is overdue the day after the due date', () => {
    expect(dueState('2026-03-09', today)).toBe('overdue')
    expect(dueState('2025-12-31', today)).toBe('overdue')
  })
  it('is today, then soon for the next two days, then later', () => {
    expect(dueState('2026-03-10', today)).toBe('today')
    expect(dueState('2026-03-11', today)).toBe('soon')
    expect(dueState('2026-03-12', today)).toBe('soon')
    expect(dueState('2026-03-13', today)).toBe('later')
  })
  it('never marks a done task', () => {
    expect(dueState('2026-03-01', today, true)).toBe('later')
  })
  it('counts calendar days across a month end and a daylight-saving change', () => {
    expect(daysUntil('2026-04-01', '2026-03-31')).toBe(1)
    expect(daysUntil('2026-03-30', '2026-03-28')).toBe(2)
  })
})

describe('dueLabel', () => {
  const today = '2026-03-10'
  it('says the state in words, not only in colour', () => {
    expect(dueLabel('2026-03-03', today).text).toMatch(/^Overdue · /)
    expect(dueLabel('2026-03-10', today).text).toBe('Due today')
    expect(dueLabel('2026-03-11', today).text).toBe('Due tomorrow')
    expect(dueLabel('2026-03-12', today).text).toBe('Due in 2 days')
  })
  it('shows the due date itself on the date, whatever the time zone', () => {
    expect(dueLabel('2026-03-20', today).text).toMatch(/20/)
    expect(dueLabel('2026-03-20', today).title).toMatch(/20/)
  })
})

describe('localToday', () => {
  it('is the local calendar date', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05')
  })
})
