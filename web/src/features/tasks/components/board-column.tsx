import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { GripVerticalIcon, MoreHorizontalIcon } from 'lucide-react'
import { memo, useEffect, useMemo, useRef, useState } from 'react'
import { Button } from '@/components/ui/button'
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'
import { cn } from '@/lib/utils'
import type { BoardColumn as Column, TaskCard as Card } from '../data/types'
import { AddTaskInline } from './add-task-inline'
import { ColumnFormDialog, DeleteColumnDialog } from './column-dialogs'
import { TaskCard } from './task-card'

/** The sortable id of a column, kept apart from task ids. */
export const columnDragId = (id: string) => `column:${id}`

interface Props {
  orgId: string
  projectId: string
  column: Column
  /** The column's cards that pass the board's filters (all of them when none is set). */
  cards: Card[]
  columns: Column[]
  canWrite: boolean
  canManage: boolean
  /** Today as YYYY-MM-DD, for the cards' due state. */
  today: string
  /** On a phone the board shows one column at a time: the others are hidden below 640 px. */
  hiddenOnPhone: boolean
  /** A dragged card is over this column. */
  isDropTarget: boolean
  /** How many of its cards are on the page; the rest wait for "Show more" or for scrolling near the end. */
  limit: number
  onShowMore: (columnId: string) => void
  onOpenTask: (id: string) => void
}

/**
 * One board column at the full height of the board: its header stays at the top while its cards scroll on
 * their own below it, with the inline "add task" form at the foot. It is 14.5 rem wide at least (four columns
 * fit beside the sidebar at 1280 px) and grows with the free width up to 24 rem; on a phone it is the width
 * of the screen and the page scrolls it.
 */
export const BoardColumn = memo(function BoardColumn({ orgId, projectId, column, cards, columns, canWrite, canManage, today, hiddenOnPhone, isDropTarget, limit, onShowMore, onOpenTask }: Props) {
  const [editing, setEditing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: columnDragId(column.id),
    data: { type: 'column' },
    disabled: !canManage,
  })
  const filtered = cards.length !== column.tasks.length
  const shown = useMemo(() => (cards.length > limit ? cards.slice(0, limit) : cards), [cards, limit])
  const hidden = cards.length - shown.length
  return (
    <section
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      aria-label={`Column ${column.name}`}
      data-testid="board-column"
      data-column-id={column.id}
      className={cn(
        'flex max-w-sm min-w-[14.5rem] flex-1 shrink-0 basis-[14.5rem] flex-col rounded-lg bg-muted/60 max-sm:max-w-none sm:h-full',
        hiddenOnPhone && 'max-sm:hidden',
        isDragging && 'opacity-40',
        isDropTarget && 'bg-accent ring-2 ring-ring',
      )}
    >
      <header className="flex shrink-0 items-center gap-2 px-3 pt-2 pb-1">
        {canManage && (
          <button
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={`Reorder column ${column.name}`}
            className="-ml-1 cursor-grab rounded-sm text-muted-foreground outline-none focus-visible:ring-[3px] focus-visible:ring-ring"
          >
            <GripVerticalIcon aria-hidden="true" className="size-4" />
          </button>
        )}
        <span aria-hidden="true" className="size-3 shrink-0 rounded-full" style={{ backgroundColor: column.color }} />
        <h2 className="min-w-0 truncate text-sm font-semibold">{column.name}</h2>
        <span className="shrink-0 text-xs text-muted-foreground" aria-label={filtered ? `${cards.length} of ${column.tasks.length} tasks shown` : `${column.tasks.length} tasks`}>
          {filtered ? `${cards.length}/${column.tasks.length}` : column.tasks.length}
        </span>
        {canManage && (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="ghost" size="icon" className="ml-auto size-7" aria-label={`Column ${column.name} actions`}>
                <MoreHorizontalIcon aria-hidden="true" />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuItem onSelect={() => setEditing(true)}>Rename, colour, done flag…</DropdownMenuItem>
              <DropdownMenuItem onSelect={() => setDeleting(true)} disabled={columns.length < 2}>
                Delete…
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        )}
      </header>
      <SortableContext items={shown.map((t) => t.id)} strategy={verticalListSortingStrategy}>
        <ol data-testid="column-cards" className="flex min-h-12 flex-1 flex-col gap-2 px-2 pt-1 pb-2 sm:overflow-y-auto sm:overscroll-contain" aria-label={`Tasks in ${column.name}`}>
          {shown.map((card) => (
            <TaskCard key={card.id} card={card} done={column.is_done} today={today} draggable={canWrite} onOpen={onOpenTask} />
          ))}
          {hidden > 0 && <ShowMore hidden={hidden} columnName={column.name} onShowMore={() => onShowMore(column.id)} />}
          {filtered && cards.length === 0 && <li className="list-none px-1 py-2 text-xs text-muted-foreground">No task here matches the filters.</li>}
        </ol>
      </SortableContext>
      {canWrite && (
        <div className="grid shrink-0 px-2 pb-2">
          <AddTaskInline orgId={orgId} projectId={projectId} columnId={column.id} columnName={column.name} />
        </div>
      )}
      <ColumnFormDialog orgId={orgId} projectId={projectId} column={column} open={editing} onOpenChange={setEditing} />
      {deleting && <DeleteColumnDialog orgId={orgId} projectId={projectId} column={column} columns={columns} open={deleting} onOpenChange={setDeleting} />}
    </section>
  )
})

/** How many more cards "Show more" (or scrolling to the end of a column) puts on the page. */
export const cardsPerPage = 50

/**
 * The foot of a long column: the next cards come when it scrolls into view (near the end of the column), or
 * on the button, which a keyboard reaches after the last card shown.
 */
function ShowMore({ hidden, columnName, onShowMore }: { hidden: number; columnName: string; onShowMore: () => void }) {
  const ref = useRef<HTMLLIElement>(null)
  const more = useRef(onShowMore)
  useEffect(() => {
    more.current = onShowMore
  })
  useEffect(() => {
    const node = ref.current
    if (!node || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more.current(), { rootMargin: '0px 0px 300px 0px' })
    observer.observe(node)
    return () => observer.disconnect()
  }, [hidden])
  return (
    <li ref={ref} className="grid list-none">
      <Button variant="ghost" size="sm" onClick={onShowMore} aria-label={`Show ${Math.min(hidden, cardsPerPage)} more tasks in ${columnName} (${hidden} not shown)`}>
        Show {Math.min(hidden, cardsPerPage)} more <span className="text-muted-foreground">({hidden} not shown)</span>
      </Button>
    </li>
  )
}

/** A column as it follows the pointer while it is reordered. */
export function BoardColumnPreview({ column }: { column: Column }) {
  return (
    <div aria-hidden="true" className="flex w-60 cursor-grabbing items-center gap-2 rounded-lg border border-ring bg-muted p-3 shadow-lg ring-2 ring-ring">
      <GripVerticalIcon className="size-4 text-muted-foreground" />
      <span className="size-3 rounded-full" style={{ backgroundColor: column.color }} />
      <span className="text-sm font-semibold">{column.name}</span>
      <span className="text-xs text-muted-foreground">{column.tasks.length}</span>
    </div>
  )
}
