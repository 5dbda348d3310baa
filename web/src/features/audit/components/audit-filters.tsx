import { useEffect, useState } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { useDebouncedValue } from '@/lib/use-debounced-value'
import { useAuditCatalogue } from '../data/api'
import { actionGroups, humanize, type AuditFilters as Filters } from '../data/filters'

interface Member {
  user_id: string
  name: string
}

/** The audit log's filters; every change goes straight to the URL (setFilter), free text after a pause. */
export function AuditFilters({
  orgId,
  filters,
  members,
  setFilter,
  clearFilters,
}: {
  orgId: string
  filters: Filters
  members: Member[]
  setFilter: (name: keyof Filters, value: string | undefined) => void
  clearFilters: () => void
}) {
  const catalogue = useAuditCatalogue(orgId)
  const actions = catalogue.data?.actions ?? []
  const [text, setText] = useState(filters.q ?? '')
  const debounced = useDebouncedValue(text, 400)
  const current = filters.q ?? ''
  useEffect(() => {
    if (debounced.trim() !== current) setFilter('q', debounced.trim() || undefined)
    // Only a typed change pushes to the URL; the URL's own changes arrive through filters.q.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced])
  const active = Object.keys(filters).length > 0
  return (
    <form
      role="search"
      aria-label="Filter the audit log"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault()
        setFilter('q', text.trim() || undefined)
      }}
    >
      <div className="grid gap-2">
        <Label htmlFor="audit-from">From</Label>
        <Input id="audit-from" type="date" value={filters.from ?? ''} max={filters.to} onChange={(e) => setFilter('from', e.target.value || undefined)} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="audit-to">To</Label>
        <Input id="audit-to" type="date" value={filters.to ?? ''} min={filters.from} onChange={(e) => setFilter('to', e.target.value || undefined)} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="audit-actor">Actor</Label>
        <NativeSelect id="audit-actor" value={filters.actor_id ?? ''} onChange={(e) => setFilter('actor_id', e.target.value || undefined)}>
          <option value="">Anyone</option>
          {members.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.name}
            </option>
          ))}
          {filters.actor_id && !members.some((m) => m.user_id === filters.actor_id) && (
            <option value={filters.actor_id}>A former member</option>
          )}
        </NativeSelect>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="audit-action">Action</Label>
        <NativeSelect id="audit-action" value={filters.action ?? ''} onChange={(e) => setFilter('action', e.target.value || undefined)}>
          <option value="">Any action</option>
          {actionGroups(actions).map((group) => (
            <optgroup key={group} label={humanize(group)}>
              <option value={group}>Any {humanize(group).toLowerCase()} action</option>
              {actions
                .filter((a) => a.startsWith(group + '.'))
                .map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
            </optgroup>
          ))}
          {filters.action && !actions.includes(filters.action) && !actionGroups(actions).includes(filters.action) && (
            <option value={filters.action}>{filters.action}</option>
          )}
        </NativeSelect>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="audit-entity">Entity type</Label>
        <NativeSelect id="audit-entity" value={filters.entity_type ?? ''} onChange={(e) => setFilter('entity_type', e.target.value || undefined)}>
          <option value="">Any entity</option>
          {(catalogue.data?.entity_types ?? []).map((t) => (
            <option key={t} value={t}>
              {humanize(t)}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="audit-q">Search</Label>
        <div className="flex gap-2">
          <Input
            id="audit-q"
            type="search"
            value={text}
            maxLength={200}
            placeholder="Name, IP, email…"
            onChange={(e) => setText(e.target.value)}
          />
          {active && (
            <Button
              type="button"
              variant="ghost"
              onClick={() => {
                setText('')
                clearFilters()
              }}
            >
              Clear
            </Button>
          )}
        </div>
      </div>
    </form>
  )
}
