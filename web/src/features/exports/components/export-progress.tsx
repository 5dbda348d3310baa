import { AlertCircleIcon, DownloadIcon } from 'lucide-react'
import type { Export } from '../data/api'

const kindLabels: Record<Export['kind'], string> = {
  audit_log: 'Audit log',
  activity: 'Activity',
  time_entries: 'Time entries',
  tasks: 'Tasks',
  clients: 'Clients',
  invoices: 'Invoices',
}

/** The human name of an export kind. */
export function exportKindLabel(kind: Export['kind']): string {
  return kindLabels[kind]
}

/** An export's state: a progress bar while it runs, the download link when ready, the reason when it failed. */
export function ExportProgress({ exp }: { exp: Export }) {
  if (exp.status === 'failed') {
    return (
      <p role="alert" className="flex items-center gap-2 text-sm text-destructive">
        <AlertCircleIcon className="size-4 shrink-0" aria-hidden="true" />
        {exp.error ?? 'The export failed.'}
      </p>
    )
  }
  if (exp.status === 'ready') {
    return exp.download_url ? (
      <a
        href={exp.download_url}
        download
        className="inline-flex items-center gap-2 text-sm font-medium text-primary underline-offset-4 hover:underline"
      >
        <DownloadIcon className="size-4" aria-hidden="true" />
        Download CSV ({exp.rows_done.toLocaleString()} rows)
      </a>
    ) : (
      <p className="text-sm text-muted-foreground">Expired: the download link is valid for 24 hours.</p>
    )
  }
  const label = `${exportKindLabel(exp.kind)} export progress`
  return (
    <div className="grid w-full min-w-0 gap-1">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={exp.percent}
        aria-valuetext={`${exp.percent}% (${exp.rows_done.toLocaleString()} rows)`}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full bg-primary transition-[width]" style={{ width: `${exp.percent}%` }} />
      </div>
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {exp.status === 'pending' ? 'Starting…' : `${exp.rows_done.toLocaleString()} rows written`}
      </p>
    </div>
  )
}
