import { AlertCircleIcon, Loader2Icon, LockIcon } from 'lucide-react'
import { useState } from 'react'
import { useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import type { RoleCatalogue } from '@/api/types'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useTitle } from '@/lib/use-title'
import { useRoles, useUpdateRole } from './data/api'
import { groupPermissions, roleLabels, type AssignableRole } from './data/schema'

/** /orgs/:orgId/roles — the role × permission matrix editor (roles.manage); the owner column is locked. */
export function RolesPage() {
  useTitle('Roles')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const roles = useRoles(orgId)
  if (!permissions.loaded) return null
  if (!permissions.can('roles.manage')) return <NoAccess what="roles and permissions" />

  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Roles &amp; permissions</h1>
        <p className="text-sm text-muted-foreground">
          What each role may do in this organization. The owner always holds everything; save each role on its own.
        </p>
      </div>
      {roles.isPending && <Skeleton className="h-96 w-full" aria-label="Loading roles" />}
      {roles.isError && (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>Couldn't load the roles</AlertTitle>
          <AlertDescription>
            <Button variant="outline" size="sm" onClick={() => void roles.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      )}
      {roles.data && <PermissionMatrix key={roles.dataUpdatedAt} orgId={orgId} catalogue={roles.data} />}
    </div>
  )
}

function PermissionMatrix({ orgId, catalogue }: { orgId: string; catalogue: RoleCatalogue }) {
  const update = useUpdateRole(orgId)
  const [draft, setDraft] = useState<Record<string, string[]>>(() => Object.fromEntries(catalogue.roles.map((r) => [r.role, r.permissions])))
  const [saving, setSaving] = useState<string>()

  const toggle = (role: string, key: string, on: boolean) =>
    setDraft((d) => ({ ...d, [role]: on ? [...d[role], key] : d[role].filter((p) => p !== key) }))

  const save = async (role: AssignableRole) => {
    setSaving(role)
    try {
      await update.mutateAsync({ role, permissions: draft[role] })
      toast.success(`${roleLabels[role]} permissions saved`)
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) toast.error(`Couldn't save the ${roleLabels[role]} role`, { description: error.detail })
    } finally {
      setSaving(undefined)
    }
  }

  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-sm">
        <caption className="sr-only">Permissions by role</caption>
        <thead>
          <tr className="border-b bg-muted/50">
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Permission
            </th>
            {catalogue.roles.map((r) => (
              <th key={r.role} scope="col" className="px-3 py-2 text-center font-medium">
                <span className="inline-flex items-center gap-1">
                  {roleLabels[r.role]}
                  {!r.editable && <LockIcon className="size-3" aria-label="locked" />}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        {groupPermissions(catalogue.permissions).map(({ group, items }) => (
          <tbody key={group}>
            <tr className="border-b bg-muted/20">
              <th scope="rowgroup" colSpan={catalogue.roles.length + 1} className="px-3 py-1.5 text-left text-xs font-semibold tracking-wide uppercase">
                {group}
              </th>
            </tr>
            {items.map((p) => (
              <tr key={p.key} className="border-b">
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  {p.description}
                </th>
                {catalogue.roles.map((r) => (
                  <td key={r.role} className="px-3 py-2 text-center">
                    <input
                      type="checkbox"
                      className="size-4 accent-primary"
                      aria-label={`${roleLabels[r.role]}: ${p.description}`}
                      checked={draft[r.role].includes(p.key)}
                      disabled={!r.editable}
                      onChange={(event) => toggle(r.role, p.key, event.target.checked)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        ))}
        <tfoot>
            <tr>
              <td />
              {catalogue.roles.map((r) => (
                <td key={r.role} className="px-3 py-2 text-center">
                  {r.editable && (
                    <Button size="sm" variant="outline" disabled={saving !== undefined} onClick={() => void save(r.role as AssignableRole)}>
                      {saving === r.role && <Loader2Icon className="animate-spin" aria-hidden="true" />}
                      Save {roleLabels[r.role]}
                    </Button>
                  )}
                </td>
              ))}
            </tr>
        </tfoot>
      </table>
    </div>
  )
}
