import {
  closestCorners,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core'
import { horizontalListSortingStrategy, SortableContext, sortableKeyboardCoordinates } from '@dnd-kit/sortable'
import { AlertCircleIcon, PlusIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useTitle } from '@/lib/use-title'
import { useBoard, useMoveColumn, useMoveTask } from './data/api'
import type { Board } from './data/types'
import { BoardColumn, columnDragId } from './components/board-column'
import { ColumnFormDialog } from './components/column-dialogs'
import { TaskDrawer } from './components/task-drawer'

/** /orgs/:orgId/projects/:projectId/board — the kanban board; ?task=<id> opens the task drawer. */
export function BoardPage() {
  useTitle('Board')
  const { orgId = '', projectId = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const permissions = useOrgPermissions(orgId)
  const board = useBoard(orgId, projectId)
  const [addingColumn, setAddingColumn] = useState(false)
  const openTask = (id: string | null) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous)
      if (id) next.set('task', id)
      else next.delete('task')
      return next
    })

  if (permissions.loaded && !permissions.can('tasks.read')) return <NoAccess what="this project's tasks" />
  return (
    <div className="flex min-h-0 w-full flex-col gap-4 p-4 sm:p-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Board</h1>
        <div className="flex gap-2">
          <Button variant="outline" asChild>
            <Link to={`/orgs/${orgId}/projects/${projectId}/list`}>List view</Link>
          </Button>
          {permissions.can('projects.write') && (
            <Button variant="outline" onClick={() => setAddingColumn(true)}>
              <PlusIcon aria-hidden="true" />
              Column
            </Button>
          )}
        </div>
      </div>
      {board.isPending && <BoardSkeleton />}
      {board.isError && (
        <Alert variant="destructive">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>The board could not be loaded</AlertTitle>
          <AlertDescription>{board.error.message}</AlertDescription>
        </Alert>
      )}
      {board.data && (
        <BoardColumns
          orgId={orgId}
          projectId={projectId}
          board={board.data}
          canWrite={permissions.can('tasks.write')}
          canManage={permissions.can('projects.write')}
          onOpenTask={openTask}
        />
      )}
      <ColumnFormDialog orgId={orgId} projectId={projectId} open={addingColumn} onOpenChange={setAddingColumn} />
      <TaskDrawer orgId={orgId} projectId={projectId} taskId={params.get('task')} columns={board.data?.columns ?? []} onClose={() => openTask(null)} />
    </div>
  )
}

function BoardColumns({ orgId, projectId, board, canWrite, canManage, onOpenTask }: {
  orgId: string
  projectId: string
  board: Board
  canWrite: boolean
  canManage: boolean
  onOpenTask: (id: string) => void
}) {
  const moveTask = useMoveTask(orgId, projectId)
  const moveColumn = useMoveColumn(orgId, projectId)
  const sensors = useSensors(
    // A few pixels of travel separate a drag from a click that opens the drawer.
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return
    if (active.data.current?.type === 'column') {
      const index = board.columns.findIndex((c) => columnDragId(c.id) === over.id || c.id === over.data.current?.columnId)
      if (index >= 0) moveColumn.mutate({ columnId: String(active.id).slice('column:'.length), index, board })
      return
    }
    const drop = dropTarget(board, String(active.id), String(over.id))
    if (drop) moveTask.mutate({ drop: { taskId: String(active.id), ...drop }, board })
  }
  return (
    <DndContext sensors={sensors} collisionDetection={closestCorners} onDragEnd={onDragEnd} accessibility={{ announcements: announcements(board) }}>
      <SortableContext items={board.columns.map((c) => columnDragId(c.id))} strategy={horizontalListSortingStrategy}>
        <div className="flex min-h-0 gap-4 overflow-x-auto pb-4">
          {board.columns.map((column) => (
            <BoardColumn
              key={column.id}
              orgId={orgId}
              projectId={projectId}
              column={column}
              columns={board.columns}
              canWrite={canWrite}
              canManage={canManage}
              onOpenTask={onOpenTask}
            />
          ))}
        </div>
      </SortableContext>
    </DndContext>
  )
}

/** Where a card dropped on `overId` lands: on a card, that card's place; on a column, its end. */
function dropTarget(board: Board, taskId: string, overId: string): { columnId: string; index: number } | undefined {
  for (const column of board.columns) {
    if (columnDragId(column.id) === overId) return { columnId: column.id, index: column.tasks.filter((t) => t.id !== taskId).length }
    const index = column.tasks.findIndex((t) => t.id === overId)
    if (index >= 0) return { columnId: column.id, index }
  }
  return undefined
}

/** Screen-reader announcements naming tasks and columns instead of ids. */
function announcements(board: Board): Announcements {
  const name = (id: string | number) => {
    for (const column of board.columns) {
      if (columnDragId(column.id) === id) return `column ${column.name}`
      const card = column.tasks.find((t) => t.id === id)
      if (card) return `task ${card.title} in ${column.name}`
    }
    return 'the board'
  }
  return {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${name(active.id)} is over ${name(over.id)}.` : `${name(active.id)} is no longer over a drop target.`),
    onDragEnd: ({ active, over }) => (over ? `Dropped ${name(active.id)} at ${name(over.id)}.` : `Dropped ${name(active.id)}.`),
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled.`,
  }
}

function BoardSkeleton() {
  return (
    <div className="flex gap-4" aria-label="Loading the board">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className="h-64 w-72" />
      ))}
    </div>
  )
}
