import { Link } from 'react-router'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'
import { formatMoney } from '../data/schema'
import type { Project } from '../data/types'
import { ProjectStatusBadge } from './project-status-badge'

function Empty() {
  return <span className="text-muted-foreground/60">—</span>
}

/** A project's money and time budget in one line. */
export function budgetLabel(project: Project): string {
  const parts: string[] = []
  if (project.budget?.amount !== undefined && project.budget.currency) parts.push(formatMoney(project.budget.amount, project.budget.currency))
  if (project.budget_minutes) parts.push(`${Math.round(project.budget_minutes / 6) / 10} h`)
  return parts.join(' · ')
}

/** One page of projects; each name links to the project. clientNames maps client IDs to names. */
export function ProjectsTable({ orgId, projects, clientNames, stale }: { orgId: string; projects: Project[]; clientNames: Map<string, string>; stale: boolean }) {
  return (
    <Table className={cn(stale && 'opacity-60')}>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="hidden sm:table-cell">Client</TableHead>
          <TableHead className="hidden md:table-cell">Due</TableHead>
          <TableHead className="hidden lg:table-cell">Budget</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {projects.map((project) => (
          <TableRow key={project.id}>
            <TableCell className="max-w-[18rem]">
              <Link to={`/orgs/${orgId}/projects/${project.id}`} className="truncate font-medium hover:underline">
                {project.name}
              </Link>
            </TableCell>
            <TableCell>
              <ProjectStatusBadge status={project.status} />
            </TableCell>
            <TableCell className="hidden max-w-[14rem] truncate sm:table-cell">
              {project.client_id ? (
                <Link to={`/orgs/${orgId}/clients/${project.client_id}`} className="hover:underline">
                  {clientNames.get(project.client_id) ?? 'Client'}
                </Link>
              ) : (
                <Empty />
              )}
            </TableCell>
            <TableCell className="hidden md:table-cell">{project.due_date ? formatDate(project.due_date) : <Empty />}</TableCell>
            <TableCell className="hidden lg:table-cell">{budgetLabel(project) || <Empty />}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

/** Placeholder rows while the first page loads. */
export function ProjectsTableSkeleton() {
  return (
    <div className="grid gap-3 p-4" role="status" aria-busy="true" aria-label="Loading projects">
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  )
}
