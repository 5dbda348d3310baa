import { FileDownIcon } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { exportFilters, useCreateExport, useExport, type ExportKind } from '../data/api'
import { ExportProgress } from './export-progress'

/**
 * "Export CSV" for a list: posts the list's current filters (its query parameters), then shows the export's
 * progress until its download link is there. Mount it on any list page with that list's kind and filters.
 */
export function ExportButton({
  orgId,
  kind,
  filters,
}: {
  orgId: string
  kind: ExportKind
  filters: Record<string, string | number | boolean | null | undefined>
}) {
  const create = useCreateExport(orgId)
  const [exportId, setExportId] = useState<string>()
  const exp = useExport(orgId, exportId)
  return (
    <div className="flex w-full min-w-0 flex-col items-stretch gap-2 sm:w-auto sm:items-end">
      <Button
        variant="outline"
        disabled={create.isPending}
        onClick={() => create.mutate({ kind, filters: exportFilters(filters) }, { onSuccess: (e) => setExportId(e.id) })}
      >
        <FileDownIcon aria-hidden="true" />
        {create.isPending ? 'Starting export…' : 'Export CSV'}
      </Button>
      {create.isError && (
        <p role="alert" className="text-sm text-destructive">
          {create.error.message}
        </p>
      )}
      {exp.data && (
        <div className="grid w-full gap-1 sm:w-64">
          <ExportProgress exp={exp.data} />
          <Link to={`/orgs/${orgId}/exports`} className="text-xs text-muted-foreground underline-offset-4 hover:underline">
            Recent exports
          </Link>
        </div>
      )}
    </div>
  )
}
