import { DownloadIcon, FileTextIcon } from 'lucide-react'
import { Link } from 'react-router'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { formatMoney } from '@/features/invoices/data/money'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'
import { portalFileUrl, portalInvoicePdfUrl } from '../data/api'
import { formatBytes, formatDay, invoiceStatusLabel, progressLabel, progressPercent, projectStatusLabel, requestStatusLabel } from '../data/format'
import { portalPath, type PortalScope } from '../data/scope'
import type { PortalFile, PortalInvoice, PortalProject, PortalTask } from '../data/types'

/** A progress bar with its "3 of 8 tasks done" label. */
export function ProgressBar({ progress, label }: { progress: { done: number; total: number }; label: string }) {
  const pct = progressPercent(progress)
  return (
    <div className="grid gap-1.5">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={progressLabel(progress)}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full rounded-full bg-primary transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <p className="text-xs text-muted-foreground">
        {progressLabel(progress)}
        {progress.total > 0 && ` · ${pct}%`}
      </p>
    </div>
  )
}

/** A project's status as a label. */
export function ProjectStatus({ status }: { status: string }) {
  return (
    <Badge variant={status === 'active' ? 'success' : status === 'completed' ? 'default' : 'outline'}>{projectStatusLabel(status)}</Badge>
  )
}

/** A project as a card: name, status, due date and progress. */
export function ProjectCard({ scope, project }: { scope: PortalScope; project: PortalProject }) {
  return (
    <li className="grid gap-3 rounded-lg border bg-card p-4 shadow-xs">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 className="min-w-0 font-medium break-words">
          <Link to={portalPath(scope, `projects/${project.id}`)} className="underline-offset-4 hover:underline">
            {project.name}
          </Link>
        </h3>
        <ProjectStatus status={project.status} />
      </div>
      {project.due_date && <p className="text-sm text-muted-foreground">Due {formatDay(project.due_date)}</p>}
      <ProgressBar progress={project.progress} label={`Progress of ${project.name}`} />
    </li>
  )
}

/** Shared files with a download link each. */
export function FileList({ scope, files, showProject = true }: { scope: PortalScope; files: PortalFile[]; showProject?: boolean }) {
  return (
    <ul className="divide-y rounded-lg border bg-card" aria-label="Files">
      {files.map((file) => (
        <li key={file.id} className="flex items-center gap-3 p-3">
          <FileTextIcon className="size-5 shrink-0 text-muted-foreground" aria-hidden="true" />
          <div className="grid min-w-0 flex-1 gap-0.5">
            <span className="truncate text-sm font-medium">{file.name}</span>
            <span className="truncate text-xs text-muted-foreground">
              {[showProject ? file.project_name : '', formatBytes(file.size_bytes), formatDate(file.created_at)].filter(Boolean).join(' · ')}
            </span>
          </div>
          <Button variant="outline" size="sm" asChild>
            <a href={portalFileUrl(scope, file.id)} download={file.name} aria-label={`Download ${file.name}`}>
              <DownloadIcon aria-hidden="true" />
              <span className="hidden sm:inline">Download</span>
            </a>
          </Button>
        </li>
      ))}
    </ul>
  )
}

/** An invoice's status as the client reads it. */
export function InvoiceStatus({ status }: { status: string }) {
  if (status === 'paid') return <Badge variant="success">{invoiceStatusLabel(status)}</Badge>
  return (
    <Badge variant="secondary" className={cn(status === 'overdue' && 'bg-destructive/12 text-destructive')}>
      {invoiceStatusLabel(status)}
    </Badge>
  )
}

/** Invoices with status, due date, totals and the PDF. */
export function InvoiceList({ scope, invoices }: { scope: PortalScope; invoices: PortalInvoice[] }) {
  return (
    <ul className="divide-y rounded-lg border bg-card" aria-label="Invoices">
      {invoices.map((invoice) => (
        <li key={invoice.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 p-3">
          <div className="grid min-w-0 flex-1 gap-0.5">
            <span className="flex flex-wrap items-center gap-2 text-sm font-medium">
              Invoice {invoice.number}
              <InvoiceStatus status={invoice.status} />
            </span>
            <span className="text-xs text-muted-foreground">
              Issued {formatDay(invoice.issue_date)} · due {formatDay(invoice.due_date)}
            </span>
          </div>
          <div className="grid text-right text-sm">
            <span className="font-medium tabular-nums">{formatMoney(invoice.total, invoice.currency)}</span>
            <span className="text-xs text-muted-foreground tabular-nums">
              {invoice.amount_due > 0 ? `${formatMoney(invoice.amount_due, invoice.currency)} due` : 'Nothing due'}
            </span>
          </div>
          <Button variant="outline" size="sm" asChild>
            <a href={portalInvoicePdfUrl(scope, invoice.id)} download={`invoice-${invoice.number}.pdf`} aria-label={`Download invoice ${invoice.number} (PDF)`}>
              <DownloadIcon aria-hidden="true" />
              PDF
            </a>
          </Button>
        </li>
      ))}
    </ul>
  )
}

/** A task's (or request's) state: its column, or Done. */
export function TaskStatus({ task }: { task: Pick<PortalTask, 'status' | 'completed_at'> }) {
  const label = requestStatusLabel(task)
  return <Badge variant={task.completed_at ? 'success' : 'secondary'}>{label}</Badge>
}
