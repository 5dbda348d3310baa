import { AlertCircleIcon } from 'lucide-react'
import { useParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { ExportButton } from '@/features/exports/components/export-button'
import { useMembers } from '@/features/team/data/api'
import { useUrlFilters } from '@/lib/list-state'
import { useTitle } from '@/lib/use-title'
import { cn } from '@/lib/utils'
import { AuditFilters } from './components/audit-filters'
import { AuditTable } from './components/audit-table'
import { useAuditLog } from './data/api'
import { auditFiltersFrom } from './data/filters'

/**
 * /orgs/:orgId/audit-log — who did which security or admin action, from where (audit.read: admins and
 * owners). The filters live in the URL, so a link reproduces the view, and "Export CSV" exports what they
 * select.
 */
export function AuditLogPage() {
  useTitle('Audit log')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const allowed = permissions.can('audit.read')
  const { params, setFilter, clearFilters } = useUrlFilters()
  const filters = auditFiltersFrom(params)
  const log = useAuditLog(orgId, filters, allowed)
  const members = useMembers(orgId)
  if (permissions.loaded && !allowed) return <NoAccess what="this organization's audit log" />
  const entries = log.data?.pages.flatMap((p) => p.data) ?? []
  const filtered = Object.keys(filters).length > 0
  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
          <p className="text-sm text-muted-foreground">
            Sign-ins, security changes and admin actions in this organization, with who did them and from where. Entries cannot be
            changed or deleted.
          </p>
        </div>
        <div data-slot="audit-log-actions" className="flex flex-wrap gap-2">
          {allowed && <ExportButton orgId={orgId} kind="audit_log" filters={{ ...filters }} />}
        </div>
      </div>
      <AuditFilters
        orgId={orgId}
        filters={filters}
        members={(members.data?.data ?? []).map((m) => ({ user_id: m.user_id, name: m.name }))}
        setFilter={setFilter}
        clearFilters={clearFilters}
      />
      <section
        aria-label="Entries"
        aria-busy={log.isFetching}
        className={cn('min-w-0 rounded-lg border bg-card transition-opacity', log.isPlaceholderData && 'opacity-60')}
      >
        {log.isPending ? (
          <div className="grid gap-2 p-4" aria-label="Loading the audit log">
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
          </div>
        ) : log.isError ? (
          <div className="p-4">
            <Alert variant="destructive">
              <AlertCircleIcon />
              <AlertTitle>Couldn't load the audit log</AlertTitle>
              <AlertDescription>
                {log.error.message}
                <Button variant="outline" size="sm" className="mt-2 w-fit" onClick={() => void log.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          </div>
        ) : entries.length === 0 ? (
          <p className="p-8 text-center text-sm text-muted-foreground">
            {filtered ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}
          </p>
        ) : (
          <AuditTable entries={entries} />
        )}
      </section>
      {log.hasNextPage && (
        <Button variant="outline" className="self-center" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </Button>
      )}
    </div>
  )
}
