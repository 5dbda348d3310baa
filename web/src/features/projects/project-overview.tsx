import { Link } from 'react-router'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { BudgetCard } from '@/features/time/budget-card'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { ActivityList } from './components/activity-list'
import { budgetLabel } from './components/projects-table'
import { useActivity } from './data/api'
import { formatMoney } from './data/schema'
import { useProjectContext } from './project-layout'

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1">
      <dt className="text-xs font-medium text-muted-foreground uppercase">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  )
}

/** The project's Overview tab: description, client, dates, budget and recent activity. */
export function ProjectOverview() {
  useTitle('Overview')
  const { orgId, project } = useProjectContext()
  const activity = useActivity(orgId, project.id)
  const rateCurrency = project.budget?.currency
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="grid content-start gap-6 lg:col-span-2">
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Details</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <p className="text-sm whitespace-pre-wrap">{project.description || <span className="text-muted-foreground">No description.</span>}</p>
            <dl className="grid gap-4 sm:grid-cols-2">
              <Detail label="Client">
                {project.client_id ? <Link to={`/orgs/${orgId}/clients/${project.client_id}`} className="hover:underline">View client</Link> : 'Internal'}
              </Detail>
              <Detail label="Dates">
                {project.start_date ? formatDate(project.start_date) : 'No start'} – {project.due_date ? formatDate(project.due_date) : 'no due date'}
              </Detail>
              <Detail label="Budget">{budgetLabel(project) || 'None'}</Detail>
              <Detail label="Hourly rate">
                {project.hourly_rate ? (rateCurrency ? formatMoney(project.hourly_rate, rateCurrency) : project.hourly_rate / 100) : 'None'}
              </Detail>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Recent activity</CardTitle>
          </CardHeader>
          <CardContent>
            {activity.isPending ? (
              <Skeleton className="h-16" aria-label="Loading activity" />
            ) : activity.isError ? (
              <p className="text-sm text-destructive" role="alert">
                The activity could not be loaded.
              </p>
            ) : (
              <ActivityList items={activity.data.data.slice(0, 10)} />
            )}
          </CardContent>
        </Card>
      </div>
      <div className="grid content-start gap-6">
        <BudgetCard orgId={orgId} projectId={project.id} />
      </div>
    </div>
  )
}
