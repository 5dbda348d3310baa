import { cn } from '@/lib/utils'
import { assignableRoles, roleLabels, type AssignableRole } from '../data/schema'

/** A native role picker (owner excluded: ownership moves by transfer); takes FormField's id and aria props. */
export function RoleSelect({
  value,
  onChange,
  className,
  ...props
}: {
  value: string
  onChange: (role: AssignableRole) => void
  className?: string
  id?: string
  disabled?: boolean
  'aria-label'?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
}) {
  return (
    <select
      {...props}
      value={value}
      onChange={(event) => onChange(event.target.value as AssignableRole)}
      className={cn(
        'h-9 rounded-md border border-input bg-transparent px-2 text-sm shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring disabled:opacity-50 aria-invalid:border-destructive',
        className,
      )}
    >
      {assignableRoles.map((role) => (
        <option key={role} value={role}>
          {roleLabels[role]}
        </option>
      ))}
    </select>
  )
}
