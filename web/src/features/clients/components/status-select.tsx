import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { parseClientStatus, type ClientStatus } from '../data/schema'

/** The form's Status field; takes the id and aria props FormField hands to its control. */
export function StatusSelect({
  value,
  onChange,
  ...aria
}: {
  value: ClientStatus
  onChange: (value: ClientStatus) => void
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
}) {
  return (
    <Select value={value} onValueChange={(next) => onChange(parseClientStatus(next) ?? 'active')}>
      <SelectTrigger {...aria}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="active">Active</SelectItem>
        <SelectItem value="archived">Archived</SelectItem>
      </SelectContent>
    </Select>
  )
}
