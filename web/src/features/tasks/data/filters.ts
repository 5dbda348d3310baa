import { useSearchParams } from 'react-router'
import type { TaskListFilters } from './api'
import type { TaskCard } from './types'

/** The URL parameters the task list and the board read their filters from. */
export const filterNames = ['assignee_id', 'priority', 'due_before', 'due_after', 'column_id', 'q', 'sort', 'order', 'cursor'] as const

/** The filters that narrow which cards show (the rest order or page the list). */
export const narrowingFilters = ['q', 'assignee_id', 'priority', 'due_after', 'due_before', 'column_id'] as const

/** Reads the filters from the URL, so a filtered view can be shared and survives reloads. */
export function filtersFrom(params: URLSearchParams): TaskListFilters {
  const out: Record<string, string> = {}
  for (const name of filterNames) {
    const value = params.get(name)
    if (value) out[name] = value
  }
  return out as TaskListFilters
}

/** How many of the narrowing filters are set. */
export function activeFilterCount(filters: TaskListFilters): number {
  return narrowingFilters.filter((name) => filters[name]).length
}

/**
 * Whether a card passes the filters, exactly as the server's task list decides (api/board.go, store/board.go):
 * one of its assignees, the priority, a due date inside the inclusive range (a card without one fails a date
 * filter), the column, and the text as a case-insensitive part of the title.
 */
export function cardMatches(card: TaskCard, filters: TaskListFilters): boolean {
  if (filters.assignee_id && !card.assignees.some((a) => a.user_id === filters.assignee_id)) return false
  if (filters.priority && card.priority !== filters.priority) return false
  if (filters.due_after && (!card.due_date || card.due_date < filters.due_after)) return false
  if (filters.due_before && (!card.due_date || card.due_date > filters.due_before)) return false
  if (filters.column_id && card.column_id !== filters.column_id) return false
  const q = filters.q?.trim().toLowerCase()
  if (q && !card.title.toLowerCase().includes(q)) return false
  return true
}

/**
 * The task filters kept in the URL, shared by the list and the board: `setParam` changes one (a filter
 * replaces the history entry and goes back to the first page; `task`, the open drawer, pushes one), and
 * `clearFilters` drops every filter and keeps the rest of the URL.
 */
export function useTaskFilters() {
  const [params, setParams] = useSearchParams()
  const setParam = (name: string, value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        if (value) next.set(name, value)
        else next.delete(name)
        if (name !== 'cursor' && name !== 'task') next.delete('cursor')
        return next
      },
      { replace: name !== 'task' },
    )
  const clearFilters = () =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        for (const name of filterNames) next.delete(name)
        return next
      },
      { replace: true },
    )
  return { params, filters: filtersFrom(params), setParam, clearFilters }
}
