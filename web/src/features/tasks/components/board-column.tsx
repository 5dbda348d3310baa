import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { GripVerticalIcon, MoreHorizontalIcon } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'
import type { BoardColumn as Column } from '../data/types'
import { AddTaskInline } from './add-task-inline'
import { ColumnFormDialog, DeleteColumnDialog } from './column-dialogs'
import { TaskCard } from './task-card'

/** The sortable id of a column, kept apart from task ids. */
export const columnDragId = (id: string) => `column:${id}`

interface Props {
  orgId: string
  projectId: string
  column: Column
  columns: Column[]
  canWrite: boolean
  canManage: boolean
  onOpenTask: (id: string) => void
}

/** One board column: its header and menu, its sortable cards and the inline "add task" form. */
export function BoardColumn({ orgId, projectId, column, columns, canWrite, canManage, onOpenTask }: Props) {
  const [editing, setEditing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: columnDragId(column.id),
    data: { type: 'column' },
    disabled: !canManage,
  })
  return (
    <section
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      aria-label={`Column ${column.name}`}
      data-testid="board-column"
      className={`flex w-72 shrink-0 flex-col gap-2 rounded-lg bg-muted/50 p-2 ${isDragging ? 'opacity-50' : ''}`}
    >
      <header className="flex items-center gap-2 px-1">
        {canManage && (
          <button ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Reorder column ${column.name}`} className="cursor-grab text-muted-foreground">
            <GripVerticalIcon aria-hidden="true" className="size-4" />
          </button>
        )}
        <span aria-hidden="true" className="size-3 rounded-full" style={{ backgroundColor: column.color }} />
        <h2 className="text-sm font-semibold">{column.name}</h2>
        <span className="text-xs text-muted-foreground">{column.tasks.length}</span>
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
      <SortableContext items={column.tasks.map((t) => t.id)} strategy={verticalListSortingStrategy}>
        <ol className="flex min-h-12 flex-col gap-2" aria-label={`Tasks in ${column.name}`}>
          {column.tasks.map((card) => (
            <TaskCard key={card.id} card={card} draggable={canWrite} onOpen={() => onOpenTask(card.id)} />
          ))}
        </ol>
      </SortableContext>
      {canWrite && <AddTaskInline orgId={orgId} projectId={projectId} columnId={column.id} columnName={column.name} />}
      <ColumnFormDialog orgId={orgId} projectId={projectId} column={column} open={editing} onOpenChange={setEditing} />
      {deleting && <DeleteColumnDialog orgId={orgId} projectId={projectId} column={column} columns={columns} open={deleting} onOpenChange={setDeleting} />}
    </section>
  )
}
