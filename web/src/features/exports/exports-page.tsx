import { useParams } from 'react-router'
import { ListLoadError, PageHeader } from '@/components/list-page'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { ExportProgress, exportKindLabel } from './components/export-progress'
import { useExports } from './data/api'

/** /orgs/:orgId/exports — your recent CSV exports, with progress, download links and failures. */
export function ExportsPage() {
  useTitle('Exports')
  const { orgId = '' } = useParams()
  const exports = useExports(orgId)
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title="Recent exports"
        description="CSV exports you requested. Downloads work for 24 hours, only for you."
      />
      <div className="rounded-lg border bg-card">
        {exports.isPending ? (
          <Skeleton className="m-4 h-24" aria-label="Loading exports" />
        ) : exports.isError ? (
          <ListLoadError what="your exports" error={exports.error} onRetry={() => exports.refetch()} />
        ) : exports.data.data.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground">
            No exports yet. Use “Export CSV” on a list (activity, time, tasks, clients, invoices).
          </p>
        ) : (
          <ul className="divide-y" aria-label="Exports">
            {exports.data.data.map((e) => (
              <li key={e.id} className="grid gap-2 p-4 sm:grid-cols-[1fr_16rem] sm:items-center">
                <div className="min-w-0">
                  <p className="font-medium">{exportKindLabel(e.kind)}</p>
                  <p className="text-xs break-words text-muted-foreground">
                    {formatDateTime(e.created_at)}
                    {Object.keys(e.filters).length > 0 &&
                      ' · ' +
                        Object.entries(e.filters)
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(', ')}
                  </p>
                </div>
                <ExportProgress exp={e} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
