import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type ScreenReaderInstructions,
} from '@dnd-kit/core'
import { horizontalListSortingStrategy, SortableContext, sortableKeyboardCoordinates } from '@dnd-kit/sortable'
import { AlertCircleIcon, FilterIcon, KeyboardIcon, PlusIcon } from 'lucide-react'
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'
import { openShortcutHelp } from '@/components/layout/shortcut-help'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useMediaQuery } from '@/lib/use-media-query'
import { useTitle } from '@/lib/use-title'
import { cn } from '@/lib/utils'
import { useBoard, useMoveColumn, useMoveTask, type TaskListFilters } from './data/api'
import { localToday } from './data/due'
import { activeFilterCount, cardMatches, useTaskFilters } from './data/filters'
import type { Board, TaskCard } from './data/types'
import { BoardColumn, BoardColumnPreview, cardsPerPage, columnDragId } from './components/board-column'
import { ColumnFormDialog } from './components/column-dialogs'
import { TaskCardPreview } from './components/task-card'
import { TaskDrawer } from './components/task-drawer'
import { TaskFilters } from './components/task-filters'

/** The button of the board card of `taskId`, if it is on the page. */
function cardElement(taskId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-task-id="${taskId}"]`)
}

/**
 * Focuses the board card of `taskId` once it is on the page (in column `columnId` when given: a card moved to
 * another column is a new element there), trying for about a second: focus follows a card dropped there.
 */
function focusCard(taskId: string, columnId?: string) {
  let frames = 0
  const attempt = () => {
    const card = cardElement(taskId)
    const placed = card && (!columnId || card.closest('[data-column-id]')?.getAttribute('data-column-id') === columnId)
    if (card && placed) {
      card.focus()
      return
    }
    if (++frames < 60) requestAnimationFrame(attempt)
  }
  requestAnimationFrame(attempt)
}

/**
 * /orgs/:orgId/projects/:projectId/board — the kanban board; ?task=<id> opens the task drawer and the task
 * filters (q, assignee_id, priority, due_after, due_before) are URL parameters shared with the list view.
 * The board fills the height of the page under its header: each column scrolls on its own and the row of
 * columns scrolls sideways at the foot of the window. Below 640 px one column shows at a time, picked above.
 */
export function BoardPage() {
  useTitle('Board')
  const { orgId = '', projectId = '' } = useParams()
  const { params, filters, setParam, clearFilters } = useTaskFilters()
  const permissions = useOrgPermissions(orgId)
  const board = useBoard(orgId, projectId)
  const [addingColumn, setAddingColumn] = useState(false)
  const [filtersOpen, setFiltersOpen] = useState(false)
  const [pickedColumn, setPickedColumn] = useState<string>()
  const taskId = params.get('task')
  // The task whose drawer was opened last (from a card, a link or the URL): focus goes back to its card.
  const lastOpened = useRef(taskId)
  const setParamRef = useRef(setParam)
  useLayoutEffect(() => {
    setParamRef.current = setParam
    if (taskId) lastOpened.current = taskId
  })
  const openTask = useCallback((id: string | null) => setParamRef.current('task', id ?? undefined), [])
  // The board narrows by the list's filters except column (its columns are the board) and sort.
  const boardFilters: TaskListFilters = useMemo(
    () => ({ q: filters.q, assignee_id: filters.assignee_id, priority: filters.priority, due_after: filters.due_after, due_before: filters.due_before }),
    [filters.q, filters.assignee_id, filters.priority, filters.due_after, filters.due_before],
  )
  const filterCount = activeFilterCount(boardFilters)
  const columns = board.data?.columns ?? []
  const picked = columns.find((c) => c.id === pickedColumn) ?? columns[0]
  // Below Tailwind's sm breakpoint the board shows one column, chosen in the picker (rendered only there).
  const phone = useMediaQuery('(max-width: 639.98px)')

  if (permissions.loaded && !permissions.can('tasks.read')) return <NoAccess what="this project's tasks" />
  return (
    <div className="flex w-full flex-col sm:h-full sm:min-h-0">
      <div className="sticky top-0 z-10 grid shrink-0 gap-3 bg-background px-4 py-2 sm:px-6 sm:pt-0 sm:pb-3">
        <h2 className="sr-only">Board</h2>
        <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
          {phone && columns.length > 0 && (
            <div className="flex min-w-0 flex-1 items-center gap-2 sm:hidden">
              <Label htmlFor="board-column-picker" className="shrink-0">
                Column
              </Label>
              <NativeSelect id="board-column-picker" value={picked?.id ?? ''} onChange={(e) => setPickedColumn(e.target.value)}>
                {columns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
          )}
          <div id="board-filters" className={cn(filtersOpen ? 'block' : 'hidden', 'order-last w-full md:order-none md:block md:w-auto')}>
            <TaskFilters variant="board" orgId={orgId} projectId={projectId} filters={boardFilters} onChange={setParam} onClear={clearFilters} />
          </div>
          <div className="ml-auto flex gap-2">
            <Button
              variant="outline"
              size="icon"
              className="relative md:hidden"
              aria-label={filterCount > 0 ? `Filters (${filterCount} in use)` : 'Filters'}
              aria-expanded={filtersOpen}
              aria-controls="board-filters"
              onClick={() => setFiltersOpen((o) => !o)}
            >
              <FilterIcon aria-hidden="true" />
              {filterCount > 0 && (
                <span aria-hidden="true" className="absolute -top-1.5 -right-1.5 grid size-4 place-items-center rounded-full bg-primary text-[10px] text-primary-foreground">
                  {filterCount}
                </span>
              )}
            </Button>
            <Button variant="outline" className="max-sm:hidden" asChild>
              <Link to={`/orgs/${orgId}/projects/${projectId}/list${filterQuery(boardFilters)}`}>List view</Link>
            </Button>
            {permissions.can('projects.write') && (
              <Button variant="outline" aria-label="Add a column" onClick={() => setAddingColumn(true)}>
                <PlusIcon aria-hidden="true" />
                <span className="max-sm:hidden">Column</span>
              </Button>
            )}
            <Button variant="ghost" size="icon" className="max-sm:hidden" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={openShortcutHelp}>
              <KeyboardIcon aria-hidden="true" />
            </Button>
          </div>
        </div>
      </div>
      {board.isPending && <BoardSkeleton />}
      {board.isError && (
        <Alert variant="destructive" className="mx-4 w-auto sm:mx-6">
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
          filters={boardFilters}
          pickedColumnId={picked?.id}
          canWrite={permissions.can('tasks.write')}
          canManage={permissions.can('projects.write')}
          onOpenTask={openTask}
        />
      )}
      <ColumnFormDialog orgId={orgId} projectId={projectId} open={addingColumn} onOpenChange={setAddingColumn} />
      <TaskDrawer
        orgId={orgId}
        projectId={projectId}
        taskId={taskId}
        columns={columns}
        onClose={() => openTask(null)}
        onCloseAutoFocus={(e) => {
          // The drawer has no trigger to return to; its card does, when it is on the board (not filtered out).
          const card = lastOpened.current ? cardElement(lastOpened.current) : null
          if (!card) return
          e.preventDefault()
          card.focus()
        }}
      />
    </div>
  )
}

/** `?q=…&priority=…` for the filters in use, to keep them when switching to the list view. */
function filterQuery(filters: TaskListFilters): string {
  const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString()
  return query ? `?${query}` : ''
}

const keyboardCodes = { start: ['Space', 'KeyM'], cancel: ['Escape'], end: ['Space', 'Enter'] }

const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    'Press Enter to open the task. To move it, press Space or M to pick it up, the arrow keys to move it within its column or to another column, Space or Enter to drop it, or Escape to cancel.',
}

function BoardColumns({ orgId, projectId, board, filters, pickedColumnId, canWrite, canManage, onOpenTask }: {
  orgId: string
  projectId: string
  board: Board
  filters: TaskListFilters
  pickedColumnId?: string
  canWrite: boolean
  canManage: boolean
  onOpenTask: (id: string) => void
}) {
  const moveTask = useMoveTask(orgId, projectId)
  const moveColumn = useMoveColumn(orgId, projectId)
  const [active, setActive] = useState<{ type: 'card' | 'column'; id: string }>()
  const [overColumn, setOverColumn] = useState<string>()
  // Cards on the page per column: a board of 1,000 renders 50 a column at first, more as a column scrolls.
  const [limits, setLimits] = useState<Record<string, number>>({})
  const showMore = useCallback((columnId: string) => setLimits((l) => ({ ...l, [columnId]: (l[columnId] ?? cardsPerPage) + cardsPerPage })), [])
  const today = localToday()
  const sensors = useSensors(
    // A few pixels of travel separate a drag from a click that opens the drawer.
    useSensor(MouseSensor, { activationConstraint: { distance: 5 } }),
    // On a touch screen a swipe over the cards scrolls; a card is dragged after a quarter-second press.
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    // Enter is left to the card's click (it opens the task); Space or M picks a card up.
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, keyboardCodes }),
  )
  // Each column's cards that pass the filters (the same arrays while neither changes, so columns skip renders).
  const cards = useMemo(() => {
    const any = activeFilterCount(filters) > 0
    return new Map(board.columns.map((c) => [c.id, any ? c.tasks.filter((t) => cardMatches(t, filters)) : c.tasks]))
  }, [board, filters])

  const columnOf = (id: string | undefined): string | undefined => {
    if (!id) return undefined
    for (const column of board.columns) {
      if (columnDragId(column.id) === id || column.tasks.some((t) => t.id === id)) return column.id
    }
    return undefined
  }
  const onDragStart = ({ active }: DragStartEvent) =>
    setActive({ type: active.data.current?.type === 'column' ? 'column' : 'card', id: String(active.id) })
  const onDragOver = ({ active, over }: DragOverEvent) =>
    setOverColumn(active.data.current?.type === 'column' ? undefined : columnOf(over ? String(over.id) : undefined))
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setActive(undefined)
    setOverColumn(undefined)
    if (!over || active.id === over.id) return
    if (active.data.current?.type === 'column') {
      const index = board.columns.findIndex((c) => columnDragId(c.id) === over.id || c.id === over.data.current?.columnId)
      if (index >= 0) moveColumn.mutate({ columnId: String(active.id).slice('column:'.length), index, board })
      return
    }
    const drop = dropTarget(board, String(active.id), String(over.id))
    if (!drop) return
    moveTask.mutate({ drop: { taskId: String(active.id), ...drop }, board })
    // A card dropped past the cards shown stays on the page.
    setLimits((l) => (drop.index < (l[drop.columnId] ?? cardsPerPage) ? l : { ...l, [drop.columnId]: drop.index + 1 }))
    // A card moved to another column is a new element there: focus follows it.
    if (drop.columnId !== active.data.current?.columnId) focusCard(String(active.id), drop.columnId)
  }
  const onDragCancel = () => {
    setActive(undefined)
    setOverColumn(undefined)
  }

  const activeCard = active?.type === 'card' ? findCard(board, active.id) : undefined
  const activeColumn = active?.type === 'column' ? board.columns.find((c) => columnDragId(c.id) === active.id) : undefined
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCorners}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{ announcements: announcements(board), screenReaderInstructions }}
    >
      <SortableContext items={board.columns.map((c) => columnDragId(c.id))} strategy={horizontalListSortingStrategy}>
        {/* The row scrolls sideways here, so its scrollbar sits at the foot of the window. */}
        {/* On a phone the page scrolls the one column shown; from 640 px the board fits the window. */}
        <div data-testid="board-scroller" className="sm:min-h-0 sm:flex-1 sm:overflow-x-auto sm:overflow-y-hidden">
          <div className="flex gap-2 px-4 pb-4 sm:h-full sm:px-6">
            {board.columns.map((column) => (
              <BoardColumn
                key={column.id}
                orgId={orgId}
                projectId={projectId}
                column={column}
                cards={cards.get(column.id) ?? column.tasks}
                columns={board.columns}
                canWrite={canWrite}
                canManage={canManage}
                today={today}
                hiddenOnPhone={column.id !== (pickedColumnId ?? board.columns[0]?.id)}
                isDropTarget={overColumn === column.id && overColumn !== activeCard?.card.column_id}
                limit={limits[column.id] ?? cardsPerPage}
                onShowMore={showMore}
                onOpenTask={onOpenTask}
              />
            ))}
          </div>
        </div>
      </SortableContext>
      {/* Follows the pointer, or the arrow keys during a keyboard move; no fly-back: the card is already placed. */}
      <DragOverlay dropAnimation={null}>
        {activeCard && <TaskCardPreview card={activeCard.card} done={activeCard.done} today={today} />}
        {activeColumn && <BoardColumnPreview column={activeColumn} />}
      </DragOverlay>
    </DndContext>
  )
}

function findCard(board: Board, id: string): { card: TaskCard; done: boolean } | undefined {
  for (const column of board.columns) {
    const card = column.tasks.find((t) => t.id === id)
    if (card) return { card, done: column.is_done }
  }
  return undefined
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
    <div className="flex gap-2 px-4 sm:px-6" aria-label="Loading the board">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className={cn('h-64 w-60 shrink-0', i > 0 && 'max-sm:hidden', 'max-sm:w-full')} />
      ))}
    </div>
  )
}
