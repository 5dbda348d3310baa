import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { parseClientStatus, type ClientStatus } from '../data/schema'

/** All / Active / Archived. */
export function StatusFilter({ value, onChange }: { value: ClientStatus | undefined; onChange: (value: ClientStatus | undefined) => void }) {
  return (
    <Select value={value ?? 'all'} onValueChange={(next) => onChange(parseClientStatus(next))}>
      <SelectTrigger aria-label="Filter by status" className="w-full sm:w-40">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="all">All statuses</SelectItem>
        <SelectItem value="active">Active</SelectItem>
        <SelectItem value="archived">Archived</SelectItem>
      </SelectContent>
    </Select>
  )
}
