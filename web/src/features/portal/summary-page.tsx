import { CalendarIcon, FileTextIcon, FolderKanbanIcon, ReceiptIcon } from 'lucide-react'
import { Link } from 'react-router'
import { usePortalSummary } from './data/api'
import { usePortalScope } from './data/context'
import { dueLabel, formatDay, totalsDueText } from './data/format'
import { portalPath } from './data/scope'
import { FileList, InvoiceList, ProjectCard } from './components/parts'
import { EmptyState, PortalError, PortalLoading, PortalPageHeader } from './components/states'
import { useTitle } from '@/lib/use-title'

/** /client-portal/:orgId — active projects with progress, what comes due, recent files, open invoices. */
export function PortalSummaryPage() {
  useTitle('Overview')
  const scope = usePortalScope()
  const summary = usePortalSummary(scope)
  if (summary.isPending) return <PortalLoading what="your summary" rows={4} />
  if (summary.isError) return <PortalError what="your summary" error={summary.error} onRetry={() => void summary.refetch()} />
  const { client, projects, next_due: nextDue, recent_files: files, open_invoices: invoices, totals_due: totals } = summary.data
  const today = new Date()

  return (
    <>
      <PortalPageHeader title={client.name} description="Your projects, files and invoices at a glance." />

      <section aria-labelledby="summary-projects" className="grid gap-3">
        <SectionTitle id="summary-projects" title="Active projects" more={projects.length > 0 ? portalPath(scope, 'projects') : undefined} />
        {projects.length === 0 ? (
          <EmptyState icon={FolderKanbanIcon} title="No shared projects yet">
            When the team shares a project with you, it shows up here with its progress.
          </EmptyState>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {projects.map((p) => (
              <ProjectCard key={p.id} scope={scope} project={p} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="summary-due" className="grid gap-3">
        <SectionTitle id="summary-due" title="Coming up" />
        {nextDue.length === 0 ? (
          <EmptyState icon={CalendarIcon} title="Nothing due soon">
            Tasks with a due date in your shared projects appear here.
          </EmptyState>
        ) : (
          <ul className="divide-y rounded-lg border bg-card">
            {nextDue.map((d) => (
              <li key={d.task_id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                <Link to={portalPath(scope, `projects/${d.project_id}/tasks/${d.task_id}`)} className="min-w-0 font-medium break-words underline-offset-4 hover:underline">
                  {d.title}
                </Link>
                <span className="text-muted-foreground">
                  {formatDay(d.due_date)} · {dueLabel(d.due_date, today)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="summary-invoices" className="grid gap-3">
        <SectionTitle id="summary-invoices" title="Open invoices" more={portalPath(scope, 'invoices')} />
        <p className="text-sm">
          <span className="text-muted-foreground">Total due: </span>
          <strong className="tabular-nums">{totalsDueText(totals)}</strong>
        </p>
        {invoices.length === 0 ? (
          <EmptyState icon={ReceiptIcon} title="No open invoices">
            You're all settled. Invoices the team sends you appear here until they are paid.
          </EmptyState>
        ) : (
          <InvoiceList scope={scope} invoices={invoices} />
        )}
      </section>

      <section aria-labelledby="summary-files" className="grid gap-3">
        <SectionTitle id="summary-files" title="Recent files" more={files.length > 0 ? portalPath(scope, 'files') : undefined} />
        {files.length === 0 ? (
          <EmptyState icon={FileTextIcon} title="No shared files yet">
            Files the team shares with you (designs, reports, deliverables) will be here to download.
          </EmptyState>
        ) : (
          <FileList scope={scope} files={files} />
        )}
      </section>
    </>
  )
}

function SectionTitle({ id, title, more }: { id: string; title: string; more?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-2">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {more && (
        <Link to={more} className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          See all<span className="sr-only"> {title.toLowerCase()}</span>
        </Link>
      )}
    </div>
  )
}
