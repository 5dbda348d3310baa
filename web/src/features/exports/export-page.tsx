import { useEffect, useRef } from 'react'
import { Link, useParams } from 'react-router'
import { ListLoadError, PageHeader } from '@/components/list-page'
import { Skeleton } from '@/components/ui/skeleton'
import { ApiError } from '@/api/errors'
import { formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { ExportProgress, exportKindLabel } from './components/export-progress'
import { useExport } from './data/api'

/**
 * /orgs/:orgId/exports/:exportId — where the "export ready" email leads. Signed out, the app's sign-in comes
 * first and brings the reader back; signed in as the requester, the download starts once (the API's signed
 * link), and the link stays on the page. Anyone else gets "not found", as from the API.
 */
export function ExportPage() {
  useTitle('Export')
  const { orgId = '', exportId = '' } = useParams()
  const exp = useExport(orgId, exportId)
  const started = useRef(false)
  const url = exp.data?.status === 'ready' ? exp.data.download_url : undefined
  useEffect(() => {
    if (url && !started.current) {
      started.current = true
      window.location.assign(url)
    }
  }, [url])
  const notFound = exp.error instanceof ApiError && exp.error.status === 404
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title={exp.data ? `${exportKindLabel(exp.data.kind)} export` : 'Export'}
        description="Your CSV download starts by itself when the export is ready; the link below works for 24 hours, only for you."
      />
      <div className="rounded-lg border bg-card p-4">
        {exp.isPending ? (
          <Skeleton className="h-10" aria-label="Loading the export" />
        ) : notFound ? (
          <p className="text-sm">
            This export does not exist or is not yours: only the person who requested an export can download it.
          </p>
        ) : exp.isError ? (
          <ListLoadError what="the export" error={exp.error} onRetry={() => exp.refetch()} />
        ) : (
          <div className="grid gap-2">
            <p className="text-xs text-muted-foreground">Requested {formatDateTime(exp.data.created_at)}</p>
            <ExportProgress exp={exp.data} />
          </div>
        )}
      </div>
      <Link to={`/orgs/${orgId}/exports`} className="text-sm font-medium text-primary underline-offset-4 hover:underline">
        All your recent exports
      </Link>
    </div>
  )
}
