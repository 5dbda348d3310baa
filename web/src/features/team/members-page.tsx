import { AlertCircleIcon, UserPlusIcon } from 'lucide-react'
import { useState } from 'react'
import { useParams } from 'react-router'
import type { Member } from '@/api/types'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { roleList, useOrgPermissions } from '@/features/auth/data/permissions'
import { gatedProps, RoleHint, usePermissionGate } from '@/components/permission-gate'
import { useTitle } from '@/lib/use-title'
import { ConfirmMemberDialog, type MemberAction } from './components/confirm-member-dialog'
import { InvitationsCard } from './components/invitations-card'
import { InviteDialog } from './components/invite-dialog'
import { MembersTable } from './components/members-table'
import { OverridesDialog } from './components/overrides-dialog'
import { useMembers } from './data/api'

/** /orgs/:orgId/members — the team and pending invitations; read-only without members.manage. */
export function MembersPage() {
  useTitle('Members')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  if (!permissions.loaded) return null
  if (!permissions.can('members.read')) return <NoAccess what="the members of this organization" />
  return (
    <MembersView
      orgId={orgId}
      currentUserId={permissions.userId}
      canManage={permissions.can('members.manage')}
      canManageRoles={permissions.can('roles.manage')}
    />
  )
}

function MembersView({
  orgId,
  currentUserId,
  canManage,
  canManageRoles,
}: {
  orgId: string
  currentUserId: string | undefined
  canManage: boolean
  canManageRoles: boolean
}) {
  const members = useMembers(orgId)
  const [inviting, setInviting] = useState(false)
  const inviteGate = usePermissionGate(orgId, 'members.manage', 'invite people')
  const whoCanManage = useOrgPermissions(orgId).whoCan('members.manage')
  const [confirm, setConfirm] = useState<{ member?: Member; action?: MemberAction }>({})
  const [overrides, setOverrides] = useState<Member | undefined>()

  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
          <p className="text-sm text-muted-foreground">Who works in this organization, and with which role.</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <Button onClick={() => setInviting(true)} {...gatedProps(inviteGate)}>
            <UserPlusIcon aria-hidden="true" />
            Invite
          </Button>
          <RoleHint gate={inviteGate} />
        </div>
      </div>
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">Team</CardTitle>
          {!canManage && <CardDescription>You can see the team; changing it is up to {roleList(whoCanManage)}.</CardDescription>}
        </CardHeader>
        <CardContent>
          {members.isPending && <Skeleton className="h-24 w-full" aria-label="Loading members" />}
          {members.isError && (
            <Alert variant="destructive">
              <AlertCircleIcon aria-hidden="true" />
              <AlertTitle>Couldn't load the members</AlertTitle>
              <AlertDescription>
                <Button variant="outline" size="sm" onClick={() => void members.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          )}
          {members.data && (
            <MembersTable
              orgId={orgId}
              members={members.data.data}
              currentUserId={currentUserId}
              canManage={canManage}
              canManageRoles={canManageRoles}
              onAction={(member, action) => setConfirm({ member, action })}
              onPermissions={setOverrides}
            />
          )}
        </CardContent>
      </Card>
      <InvitationsCard orgId={orgId} canManage={canManage} />
      <InviteDialog orgId={orgId} open={inviting} onOpenChange={setInviting} />
      <ConfirmMemberDialog orgId={orgId} member={confirm.member} action={confirm.action} onClose={() => setConfirm({})} />
      {canManageRoles && <OverridesDialog orgId={orgId} member={overrides} onClose={() => setOverrides(undefined)} />}
    </div>
  )
}
