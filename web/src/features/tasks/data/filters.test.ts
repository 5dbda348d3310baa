import { describe, expect, it } from 'vitest'
import { activeFilterCount, cardMatches, filtersFrom } from './filters'
import type { TaskCard } from './types'

const card: TaskCard = {
  id: 't1', column_id: 'c1', number: 4, title: 'Design the Homepage', priority: 'high', due_date: '2026-03-10',
  position: 'a', completed_at: null, created_at: '', subtasks_done: 0, subtasks_total: 0,
  assignees: [{ user_id: 'u1', name: 'Mia Manager', initials: 'MM' }],
}

describe('filtersFrom', () => {
  it('reads the known filters and ignores the rest of the URL', () => {
    const params = new URLSearchParams('q=home&priority=high&task=t9&column=x&sort=due_date')
    expect(filtersFrom(params)).toEqual({ q: 'home', priority: 'high', sort: 'due_date' })
  })
})

describe('activeFilterCount', () => {
  it('counts the filters that narrow, not the sort', () => {
    expect(activeFilterCount({ q: 'a', assignee_id: 'u1', sort: 'number', order: 'desc' })).toBe(2)
  })
})

describe('cardMatches', () => {
  it('passes every card with no filter', () => {
    expect(cardMatches(card, {})).toBe(true)
  })
  it('matches the title case-insensitively', () => {
    expect(cardMatches(card, { q: 'homepage' })).toBe(true)
    expect(cardMatches(card, { q: '  HOME ' })).toBe(true)
    expect(cardMatches(card, { q: 'footer' })).toBe(false)
  })
  it('matches one of the assignees', () => {
    expect(cardMatches(card, { assignee_id: 'u1' })).toBe(true)
    expect(cardMatches(card, { assignee_id: 'u2' })).toBe(false)
  })
  it('matches the priority and the column', () => {
    expect(cardMatches(card, { priority: 'high', column_id: 'c1' })).toBe(true)
    expect(cardMatches(card, { priority: 'low' })).toBe(false)
    expect(cardMatches(card, { column_id: 'c2' })).toBe(false)
  })
  it('keeps due dates inside the inclusive range and drops cards without one', () => {
    expect(cardMatches(card, { due_after: '2026-03-10', due_before: '2026-03-10' })).toBe(true)
    expect(cardMatches(card, { due_after: '2026-03-11' })).toBe(false)
    expect(cardMatches(card, { due_before: '2026-03-09' })).toBe(false)
    expect(cardMatches({ ...card, due_date: null }, { due_before: '2026-12-31' })).toBe(false)
  })
})
