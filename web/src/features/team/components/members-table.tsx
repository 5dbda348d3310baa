import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Member } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDate } from '@/lib/format'
import { useChangeRole } from '../data/api'
import { roleLabels } from '../data/schema'
import type { MemberAction } from './confirm-member-dialog'
import { RoleSelect } from './role-select'

/**
 * The members of an organization. With members.manage, each other non-owner row gets a role picker and
 * suspend/reactivate/remove buttons; with roles.manage, a Permissions button for overrides.
 */
export function MembersTable({
  orgId,
  members,
  currentUserId,
  canManage,
  canManageRoles,
  onAction,
  onPermissions,
}: {
  orgId: string
  members: Member[]
  currentUserId: string | undefined
  canManage: boolean
  canManageRoles: boolean
  onAction: (member: Member, action: MemberAction) => void
  onPermissions: (member: Member) => void
}) {
  const changeRole = useChangeRole(orgId)

  const setRole = async (member: Member, role: Parameters<typeof changeRole.mutateAsync>[0]['role']) => {
    try {
      await changeRole.mutateAsync({ memberId: member.id, role })
      toast.success(`${member.name} is now ${roleLabels[role].toLowerCase()}`)
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error(`Couldn't change ${member.name}'s role`, { description: error.detail })
    }
  }

  return (
    <Table>
      <caption className="sr-only">Members</caption>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Member</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="hidden md:table-cell">Joined</TableHead>
          <TableHead className="text-right">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {members.map((member) => {
          const editable = member.role !== 'owner' && member.user_id !== currentUserId
          return (
            <TableRow key={member.id}>
              <TableCell>
                <div className="flex items-center gap-3">
                  <span aria-hidden="true" className="grid size-8 shrink-0 place-items-center rounded-full bg-primary/10 text-xs font-semibold text-primary">
                    {member.initials}
                  </span>
                  <div className="min-w-0">
                    <div className="truncate font-medium">{member.name}</div>
                    <div className="truncate text-xs text-muted-foreground">{member.email}</div>
                  </div>
                </div>
              </TableCell>
              <TableCell>
                {canManage && editable ? (
                  <RoleSelect
                    aria-label={`Role of ${member.name}`}
                    value={member.role}
                    disabled={changeRole.isPending}
                    onChange={(role) => void setRole(member, role)}
                  />
                ) : (
                  <span>{roleLabels[member.role]}</span>
                )}
              </TableCell>
              <TableCell>
                <Badge variant={member.status === 'active' ? 'success' : 'outline'}>{member.status === 'active' ? 'Active' : 'Suspended'}</Badge>
              </TableCell>
              <TableCell className="hidden text-muted-foreground md:table-cell">
                <time dateTime={member.joined_at}>{formatDate(member.joined_at)}</time>
              </TableCell>
              <TableCell className="text-right">
                <div className="flex justify-end gap-1">
                  {canManageRoles && member.role !== 'owner' && (
                    <Button variant="ghost" size="sm" aria-label={`Permissions of ${member.name}`} onClick={() => onPermissions(member)}>
                      Permissions
                    </Button>
                  )}
                  {canManage && editable && (
                    <>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`${member.status === 'active' ? 'Suspend' : 'Reactivate'} ${member.name}`}
                        onClick={() => onAction(member, member.status === 'active' ? 'suspend' : 'reactivate')}
                      >
                        {member.status === 'active' ? 'Suspend' : 'Reactivate'}
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        className="text-muted-foreground hover:text-destructive"
                        aria-label={`Remove ${member.name}`}
                        onClick={() => onAction(member, 'remove')}
                      >
                        Remove
                      </Button>
                    </>
                  )}
                </div>
              </TableCell>
            </TableRow>
          )
        })}
      </TableBody>
    </Table>
  )
}
