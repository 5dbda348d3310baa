import { Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { Member, RoleCatalogue } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import { useMemberPermissions, useRoles, useUpdateMemberPermissions } from '../data/api'
import { groupPermissions, overridesFor, roleLabels } from '../data/schema'

/** Grants or denies single permissions to one member on top of their role. */
export function OverridesDialog({ orgId, member, onClose }: { orgId: string; member?: Member; onClose: () => void }) {
  const open = member !== undefined
  const roles = useRoles(orgId)
  const current = useMemberPermissions(orgId, member?.id ?? '', open)
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Permissions of {member?.name}</DialogTitle>
          <DialogDescription>
            Start from the {roleLabels[member?.role ?? 'member'].toLowerCase()} role and tick or untick single permissions for this member.
          </DialogDescription>
        </DialogHeader>
        {(roles.isPending || current.isPending) && <Skeleton className="h-40 w-full" aria-label="Loading permissions" />}
        {(roles.isError || current.isError) && <p className="text-sm text-destructive">Couldn't load the permissions. Close and try again.</p>}
        {member && roles.data && current.data && (
          <OverridesForm
            key={member.id}
            orgId={orgId}
            member={member}
            catalogue={roles.data}
            effective={current.data.effective}
            onDone={onClose}
          />
        )}
      </DialogContent>
    </Dialog>
  )
}

function OverridesForm({
  orgId,
  member,
  catalogue,
  effective,
  onDone,
}: {
  orgId: string
  member: Member
  catalogue: RoleCatalogue
  effective: string[]
  onDone: () => void
}) {
  const update = useUpdateMemberPermissions(orgId)
  const roleSet = catalogue.roles.find((r) => r.role === member.role)?.permissions ?? []
  const [wanted, setWanted] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(catalogue.permissions.map((p) => [p.key, effective.includes(p.key)])),
  )

  const save = async () => {
    try {
      await update.mutateAsync({ memberId: member.id, overrides: overridesFor(roleSet, wanted) })
      toast.success(`Permissions of ${member.name} saved`)
      onDone()
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error("Couldn't save the permissions", { description: error.detail })
    }
  }

  return (
    <div className="grid gap-4">
      {groupPermissions(catalogue.permissions).map(({ group, items }) => (
        <fieldset key={group} className="grid gap-2">
          <legend className="mb-1 text-sm font-semibold">{group}</legend>
          {items.map((p) => {
            const differs = roleSet.includes(p.key) !== wanted[p.key]
            return (
              <label key={p.key} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={wanted[p.key]}
                  onChange={(event) => setWanted((w) => ({ ...w, [p.key]: event.target.checked }))}
                />
                {p.description}
                {differs && <span className="text-xs text-muted-foreground">({wanted[p.key] ? 'granted' : 'denied'} for this member)</span>}
              </label>
            )
          })}
        </fieldset>
      ))}
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <Button disabled={update.isPending} onClick={() => void save()}>
          {update.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Save permissions
        </Button>
      </DialogFooter>
    </div>
  )
}
