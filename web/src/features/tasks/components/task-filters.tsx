import { useRef } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { useProjectMembers, type TaskListFilters } from '../data/api'
import { priorities, type Column } from '../data/types'

const sorts = [
  ['position', 'Board order'],
  ['due_date', 'Due date'],
  ['priority', 'Priority'],
  ['created_at', 'Created'],
  ['number', 'Number'],
] as const

/**
 * The task filters (and, on the list, its column filter and sort); every change goes to the URL through
 * onChange (see useTaskFilters). The board shows the same filters without column and sort: its columns are
 * the board's own, and its order is the board's.
 */
export function TaskFilters({ orgId, projectId, filters, columns = [], onChange, onClear, variant = 'list' }: {
  orgId: string
  projectId: string
  filters: TaskListFilters
  columns?: Column[]
  onChange: (name: keyof TaskListFilters, value: string | undefined) => void
  onClear: () => void
  variant?: 'list' | 'board'
}) {
  const members = useProjectMembers(orgId, projectId)
  // The search box keeps what is typed (a trailing space included) instead of echoing the URL's trimmed value.
  const search = useRef<HTMLInputElement>(null)
  const list = variant === 'list'
  const select = (name: keyof TaskListFilters, label: string, options: readonly (readonly [string, string])[], all = 'Any') => (
    <div className="grid gap-1">
      <Label htmlFor={`filter-${name}`}>{label}</Label>
      <NativeSelect id={`filter-${name}`} value={filters[name] ?? ''} onChange={(e) => onChange(name, e.target.value || undefined)}>
        {all && <option value="">{all}</option>}
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </NativeSelect>
    </div>
  )
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="grid gap-1">
        <Label htmlFor="filter-q">Search</Label>
        <Input ref={search} id="filter-q" type="search" defaultValue={filters.q ?? ''} placeholder="Title contains…" onChange={(e) => onChange('q', e.target.value.trim() || undefined)} />
      </div>
      {select('assignee_id', 'Assignee', (members.data?.data ?? []).map((m) => [m.user_id, m.name] as const))}
      {select('priority', 'Priority', priorities.map((p) => [p, p] as const))}
      {list && select('column_id', 'Column', columns.map((c) => [c.id, c.name] as const))}
      <div className="grid gap-1">
        <Label htmlFor="filter-due-after">Due from</Label>
        <Input id="filter-due-after" type="date" value={filters.due_after ?? ''} onChange={(e) => onChange('due_after', e.target.value || undefined)} />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="filter-due-before">Due until</Label>
        <Input id="filter-due-before" type="date" value={filters.due_before ?? ''} onChange={(e) => onChange('due_before', e.target.value || undefined)} />
      </div>
      {list && select('sort', 'Sort by', sorts, '')}
      {list && select('order', 'Order', [['asc', 'Ascending'], ['desc', 'Descending']] as const, '')}
      <Button
        variant="ghost"
        onClick={() => {
          if (search.current) search.current.value = ''
          onClear()
        }}
      >
        Clear
      </Button>
    </div>
  )
}
