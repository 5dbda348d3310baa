import { AlertCircleIcon } from 'lucide-react'
import { Link, useParams } from 'react-router'
import { ApiError } from '@/api/errors'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { ClientPortalCard } from '@/features/clients/components/client-portal-card'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { ActivityList } from './components/activity-list'
import { ProjectStatusBadge } from './components/project-status-badge'
import { useClientOverview } from './data/api'

/** /orgs/:orgId/clients/:clientId — the client's details, the projects you can see for it, its client portal and recent activity. */
export function ClientDetailPage() {
  const { orgId = '', clientId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const overview = useClientOverview(orgId, clientId)
  useTitle(overview.data?.client.name)
  if (permissions.loaded && !permissions.can('clients.read')) return <NoAccess what="this organization's clients" />
  if (overview.isPending) return <Skeleton className="m-8 h-40" aria-label="Loading client" />
  if (overview.isError) {
    const missing = overview.error instanceof ApiError && overview.error.status === 404
    return (
      <div className="mx-auto w-full max-w-3xl p-4 sm:p-6 lg:p-8">
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>{missing ? 'Client not found' : "Couldn't load the client"}</AlertTitle>
          <AlertDescription>
            <p>{missing ? 'It may have been deleted.' : overview.error.message}</p>
            <Link to={`/orgs/${orgId}/clients`} className="underline">
              Back to clients
            </Link>
          </AlertDescription>
        </Alert>
      </div>
    )
  }
  const { client, projects, activity } = overview.data
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{client.name}</h1>
        <p className="text-sm text-muted-foreground">{[client.company, client.email, client.phone].filter(Boolean).join(' · ') || 'No contact details'}</p>
        <Link to={`/orgs/${orgId}/clients`} className="text-sm text-muted-foreground hover:underline">
          All clients
        </Link>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle className="text-base">Projects</CardTitle>
          </CardHeader>
          <CardContent>
            {projects.length === 0 ? (
              <p className="text-sm text-muted-foreground">No projects for this client yet.</p>
            ) : (
              <ul className="divide-y" aria-label="Client projects">
                {projects.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                    <Link to={`/orgs/${orgId}/projects/${p.id}`} className="font-medium hover:underline">
                      {p.name}
                    </Link>
                    <div className="flex items-center gap-3 text-sm text-muted-foreground">
                      <ProjectStatusBadge status={p.status} />
                      <span>{p.open_tasks} open</span>
                      <span>{p.due_date ? `Due ${formatDate(p.due_date)}` : 'No due date'}</span>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <div className="grid grid-cols-1 content-start gap-6">
          <ClientPortalCard orgId={orgId} client={client} canWrite={permissions.can('clients.write')} />
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Recent activity</CardTitle>
            </CardHeader>
            <CardContent>
              <ActivityList items={activity} />
            </CardContent>
          </Card>
        </div>
      </div>
      {client.notes && (
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Notes</CardTitle>
          </CardHeader>
          <CardContent className="text-sm whitespace-pre-wrap">{client.notes}</CardContent>
        </Card>
      )}
    </div>
  )
}
