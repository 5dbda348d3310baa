import { Loader2Icon, UserMinusIcon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useMembers } from '@/features/team/data/api'
import { NativeSelect } from '@/components/ui/native-select'
import { useTitle } from '@/lib/use-title'
import { useChangeProjectMember, useProjectMembers } from './data/api'
import { useProjectContext } from './project-layout'

/** The project's Members tab: who is on it; with projects.write, add and remove people. */
export function ProjectMembers() {
  useTitle('Members')
  const { orgId, project } = useProjectContext()
  const permissions = useOrgPermissions(orgId)
  const canManage = permissions.can('projects.write')
  const members = useProjectMembers(orgId, project.id)
  const change = useChangeProjectMember(orgId, project.id)

  const run = async (userId: string, add: boolean) => {
    try {
      await change.mutateAsync({ userId, add })
    } catch (error) {
      toast.error(error instanceof ApiError ? error.detail : 'Something went wrong.')
    }
  }

  if (members.isPending) return <Skeleton className="h-24" aria-label="Loading members" />
  if (members.isError)
    return (
      <p className="text-sm text-destructive" role="alert">
        The members could not be loaded.
      </p>
    )
  const onProject = new Set(members.data.data.map((m) => m.user_id))
  return (
    <section aria-label="Project members" className="grid max-w-2xl gap-4">
      {canManage && permissions.can('members.read') && <AddMember orgId={orgId} exclude={onProject} busy={change.isPending} onAdd={(id) => void run(id, true)} />}
      {members.data.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nobody is on this project yet.</p>
      ) : (
        <ul className="divide-y rounded-lg border bg-card">
          {members.data.data.map((m) => (
            <li key={m.user_id} className="flex items-center justify-between gap-3 px-4 py-3">
              <div className="grid">
                <span className="text-sm font-medium">{m.name}</span>
                <span className="text-xs text-muted-foreground">
                  {m.email} · {m.role}
                </span>
              </div>
              {canManage && (
                <Button variant="ghost" size="sm" aria-label={`Remove ${m.name}`} disabled={change.isPending} onClick={() => void run(m.user_id, false)}>
                  <UserMinusIcon aria-hidden="true" />
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function AddMember({ orgId, exclude, busy, onAdd }: { orgId: string; exclude: Set<string>; busy: boolean; onAdd: (userId: string) => void }) {
  const team = useMembers(orgId)
  const [userId, setUserId] = useState('')
  const candidates = (team.data?.data ?? []).filter((m) => m.status === 'active' && !exclude.has(m.user_id))
  return (
    <form
      className="flex gap-2"
      onSubmit={(event) => {
        event.preventDefault()
        if (userId) onAdd(userId)
        setUserId('')
      }}
    >
      <NativeSelect aria-label="Person to add" value={userId} onChange={(e) => setUserId(e.target.value)} disabled={team.isPending}>
        <option value="">{candidates.length === 0 ? 'Everyone is on this project' : 'Choose someone…'}</option>
        {candidates.map((m) => (
          <option key={m.user_id} value={m.user_id}>
            {m.name}
          </option>
        ))}
      </NativeSelect>
      <Button type="submit" disabled={!userId || busy}>
        {busy && <Loader2Icon className="animate-spin" aria-hidden="true" />}
        Add
      </Button>
    </form>
  )
}
