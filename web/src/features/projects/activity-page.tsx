import { AlertCircleIcon } from 'lucide-react'
import { useState } from 'react'
import { useParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { ActivityList } from './components/activity-list'
import { useActivity } from './data/api'

/** /orgs/:orgId/activity — what happened in the organization, newest first (only projects you are on). */
export function ActivityPage() {
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const [cursors, setCursors] = useState<string[]>([])
  const activity = useActivity(orgId, undefined, cursors.at(-1))
  if (permissions.loaded && !permissions.can('projects.read')) return <NoAccess what="this organization's activity" />
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Activity</h1>
        <p className="text-sm text-muted-foreground">Changes to clients, projects and tasks you can see.</p>
      </div>
      <div className="rounded-lg border bg-card p-4">
        {activity.isPending ? (
          <Skeleton className="h-32" aria-label="Loading activity" />
        ) : activity.isError ? (
          <Alert variant="destructive">
            <AlertCircleIcon />
            <AlertTitle>Couldn't load the activity</AlertTitle>
            <AlertDescription>{activity.error.message}</AlertDescription>
          </Alert>
        ) : (
          <ActivityList items={activity.data.data} />
        )}
      </div>
      <nav aria-label="Pagination" className="flex justify-between">
        <Button variant="outline" size="sm" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={!activity.data?.next_cursor}
          onClick={() => activity.data?.next_cursor && setCursors((c) => [...c, activity.data.next_cursor as string])}
        >
          Older
        </Button>
      </nav>
    </div>
  )
}
