import { AlertCircleIcon } from 'lucide-react'
import { Link, useParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { ExportButton } from '@/features/exports/components/export-button'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { useBoard, useTaskList } from './data/api'
import { useTaskFilters } from './data/filters'
import { TaskFilters } from './components/task-filters'
import { TaskDrawer } from './components/task-drawer'

/** /orgs/:orgId/projects/:projectId/list — the project's tasks as a filtered, sorted table. */
export function ListPage() {
  useTitle('List')
  const { orgId = '', projectId = '' } = useParams()
  const { params, filters, setParam, clearFilters } = useTaskFilters()
  const permissions = useOrgPermissions(orgId)
  const list = useTaskList(orgId, projectId, filters)
  const board = useBoard(orgId, projectId)
  const columns = board.data?.columns ?? []

  if (permissions.loaded && !permissions.can('tasks.read')) return <NoAccess what="this project's tasks" />
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-4 p-4 sm:p-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Tasks</h1>
        <div className="flex flex-wrap items-start gap-2">
          <ExportButton orgId={orgId} kind="tasks" filters={{ ...filters, cursor: undefined, project_id: projectId }} />
          <Button variant="outline" asChild>
            <Link to={`/orgs/${orgId}/projects/${projectId}/board`}>Board view</Link>
          </Button>
        </div>
      </div>
      <TaskFilters orgId={orgId} projectId={projectId} filters={filters} columns={columns} onChange={setParam} onClear={clearFilters} />
      {list.isPending && <Skeleton className="h-64" />}
      {list.isError && (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>The tasks could not be loaded</AlertTitle>
          <AlertDescription>{list.error.message}</AlertDescription>
        </Alert>
      )}
      {list.data && list.data.data.length === 0 && <p className="py-8 text-center text-sm text-muted-foreground">No tasks match these filters.</p>}
      {list.data && list.data.data.length > 0 && (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>#</TableHead>
              <TableHead>Title</TableHead>
              <TableHead>Column</TableHead>
              <TableHead>Priority</TableHead>
              <TableHead>Due</TableHead>
              <TableHead>Assignees</TableHead>
              <TableHead>Subtasks</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.data.map((t) => (
              <TableRow key={t.id}>
                <TableCell>{t.number}</TableCell>
                <TableCell>
                  <button type="button" className="text-left font-medium underline-offset-4 hover:underline" onClick={() => setParam('task', t.id)}>
                    {t.title}
                  </button>
                </TableCell>
                <TableCell>{columns.find((c) => c.id === t.column_id)?.name}</TableCell>
                <TableCell>{t.priority}</TableCell>
                <TableCell>{t.due_date ? formatDate(t.due_date) : ''}</TableCell>
                <TableCell>{t.assignees.map((a) => a.name).join(', ')}</TableCell>
                <TableCell>{t.subtasks_total > 0 ? `${t.subtasks_done}/${t.subtasks_total}` : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className="flex justify-end gap-2">
        {filters.cursor && (
          <Button variant="outline" onClick={() => setParam('cursor', undefined)}>
            First page
          </Button>
        )}
        {list.data?.next_cursor && (
          <Button variant="outline" onClick={() => setParam('cursor', list.data.next_cursor ?? undefined)}>
            Next page
          </Button>
        )}
      </div>
      <TaskDrawer orgId={orgId} projectId={projectId} taskId={params.get('task')} columns={columns} onClose={() => setParam('task', undefined)} />
    </div>
  )
}
