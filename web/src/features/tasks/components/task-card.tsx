import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { CalendarIcon, CheckSquareIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { TaskCard as Card } from '../data/types'

/** A draggable card on the board; activating it opens the task drawer. */
export function TaskCard({ card, onOpen, draggable }: { card: Card; onOpen: () => void; draggable: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    data: { type: 'card', columnId: card.column_id },
    disabled: !draggable,
  })
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={cn('list-none', isDragging && 'opacity-50')}
      data-testid="task-card"
    >
      <button
        type="button"
        {...attributes}
        {...listeners}
        onClick={onOpen}
        aria-roledescription="Draggable task"
        className="grid w-full gap-2 rounded-md border bg-card p-3 text-left text-sm shadow-xs outline-none hover:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        <span className="flex items-start justify-between gap-2">
          <span className="font-medium">{card.title}</span>
          <span className="shrink-0 text-xs text-muted-foreground">#{card.number}</span>
        </span>
        <span className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
          {card.priority !== 'medium' && <Badge variant={card.priority === 'urgent' ? 'default' : 'secondary'}>{card.priority}</Badge>}
          {card.due_date && (
            <span className="inline-flex items-center gap-1">
              <CalendarIcon aria-hidden="true" className="size-3" />
              {formatDate(card.due_date)}
            </span>
          )}
          {card.subtasks_total > 0 && (
            <span className="inline-flex items-center gap-1" aria-label={`${card.subtasks_done} of ${card.subtasks_total} subtasks done`}>
              <CheckSquareIcon aria-hidden="true" className="size-3" />
              {card.subtasks_done}/{card.subtasks_total}
            </span>
          )}
          <span className="ml-auto flex -space-x-1">
            {card.assignees.map((a) => (
              <span key={a.user_id} title={a.name} className="grid size-6 place-items-center rounded-full border bg-muted text-[10px] font-semibold">
                {a.initials}
              </span>
            ))}
          </span>
        </span>
      </button>
    </li>
  )
}
