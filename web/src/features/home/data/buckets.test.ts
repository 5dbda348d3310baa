import { describe, expect, it } from 'vitest'
import { dueBucket, endOfWeek, groupByDue } from './buckets'

// Wednesday 9 December 2026, in local time.
const wednesday = new Date(2026, 11, 9, 15, 30)

describe('dueBucket', () => {
  it('puts past days under overdue and the day itself under today', () => {
    expect(dueBucket('2026-12-08', wednesday)).toBe('overdue')
    expect(dueBucket('2025-01-01', wednesday)).toBe('overdue')
    expect(dueBucket('2026-12-09', wednesday)).toBe('today')
  })

  it('keeps the rest of the week, up to Sunday, under this week', () => {
    expect(dueBucket('2026-12-10', wednesday)).toBe('week')
    expect(dueBucket('2026-12-13', wednesday)).toBe('week')
    expect(dueBucket('2026-12-14', wednesday)).toBe('later')
  })

  it('puts undated tasks last', () => {
    expect(dueBucket(null, wednesday)).toBe('later')
    expect(dueBucket(undefined, wednesday)).toBe('later')
  })

  it('ends a Sunday week on the Sunday itself', () => {
    const sunday = new Date(2026, 11, 13, 9)
    expect(endOfWeek(sunday)).toBe('2026-12-13')
    expect(dueBucket('2026-12-14', sunday)).toBe('later')
  })
})

describe('groupByDue', () => {
  it('keeps the order within each group', () => {
    const tasks = [
      { id: 'a', due_date: '2026-12-01' },
      { id: 'b', due_date: null },
      { id: 'c', due_date: '2026-12-05' },
      { id: 'd', due_date: '2026-12-09' },
    ]
    const g = groupByDue(tasks, wednesday)
    expect(g.overdue.map((t) => t.id)).toEqual(['a', 'c'])
    expect(g.today.map((t) => t.id)).toEqual(['d'])
    expect(g.week).toEqual([])
    expect(g.later.map((t) => t.id)).toEqual(['b'])
  })
})
