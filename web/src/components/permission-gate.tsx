import { LockIcon } from 'lucide-react'
import { useId } from 'react'
import { roleList, useOrgPermissions } from '@/features/auth/data/permissions'
import { cn } from '@/lib/utils'

/** What a page-level write action needs and whether the signed-in user may use it (see usePermissionGate). */
export interface PermissionGateState {
  /** True when the user holds the permission, or while /me is still loading (the API refuses anyway). */
  allowed: boolean
  /** "Only owners, admins and managers can add clients." when not allowed. */
  hint: string | undefined
  /** The hint's element id, for the disabled control's aria-describedby. */
  hintId: string
}

/**
 * The one pattern for write controls a user cannot use: a page's main actions (New client, Invite, Save,
 * Send …) stay in place disabled, described by a visible RoleHint that names the roles that can; actions
 * on single rows are hidden instead. `action` completes "Only … can": e.g. "add clients".
 */
export function usePermissionGate(orgId: string, permission: string, action: string): PermissionGateState {
  const permissions = useOrgPermissions(orgId)
  const hintId = useId()
  const allowed = !permissions.loaded || permissions.can(permission)
  const hint = allowed ? undefined : `Only ${roleList(permissions.whoCan(permission))} can ${action}.`
  return { allowed, hint, hintId }
}

/** Props spreading a gate onto its control: disabled and described by the hint when not allowed. */
export function gatedProps(gate: PermissionGateState): { disabled?: boolean; 'aria-describedby'?: string; title?: string } {
  return gate.allowed ? {} : { disabled: true, 'aria-describedby': gate.hintId, title: gate.hint }
}

/** The visible hint beside a disabled control; renders nothing when the user may act. */
export function RoleHint({ gate, className }: { gate: PermissionGateState; className?: string }) {
  if (gate.allowed) return null
  return (
    <p id={gate.hintId} data-testid="role-hint" className={cn('flex items-center gap-1.5 text-xs text-muted-foreground', className)}>
      <LockIcon className="size-3.5 shrink-0" aria-hidden="true" />
      {gate.hint}
    </p>
  )
}
