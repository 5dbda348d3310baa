import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { CalendarClockIcon, CalendarIcon, CalendarXIcon, CheckSquareIcon } from 'lucide-react'
import { memo, useId, useMemo } from 'react'
import { avatarColor } from '@/lib/avatar'
import { cn } from '@/lib/utils'
import { dueLabel, type DueState } from '../data/due'
import type { TaskCard as Card } from '../data/types'
import { PriorityBadge } from './priority-badge'

const cardClass =
  'relative grid w-full gap-2 rounded-md border bg-card p-3 text-left text-sm shadow-xs outline-none hover:border-ring focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring'

/** Due-date chips: red once overdue, amber today and the next two days; the words say it as well. */
const dueTones: Record<DueState, { className: string; Icon: typeof CalendarIcon }> = {
  overdue: { className: 'bg-red-50 font-medium text-red-700 dark:bg-red-950 dark:text-red-200', Icon: CalendarXIcon },
  today: { className: 'bg-amber-50 font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-200', Icon: CalendarClockIcon },
  soon: { className: 'bg-amber-50 font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-200', Icon: CalendarClockIcon },
  later: { className: 'text-muted-foreground', Icon: CalendarIcon },
}

interface ContentProps {
  card: Card
  /** The card sits in a done column: its due date no longer counts. */
  done: boolean
  /** Today as YYYY-MM-DD, once for the whole board. */
  today: string
  metaId?: string
}

/** What a card shows: title and number, then priority, due state, subtasks and assignees. */
function TaskCardContent({ card, done, today, metaId }: ContentProps) {
  const due = card.due_date ? dueLabel(card.due_date, today, done || card.completed_at !== null) : null
  const tone = due && dueTones[due.state]
  return (
    <>
      <span className="flex items-start justify-between gap-2">
        <span className="min-w-0 font-medium break-words">{card.title}</span>
        <span className="shrink-0 text-xs text-muted-foreground">#{card.number}</span>
      </span>
      <span id={metaId} className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
        <PriorityBadge priority={card.priority} />
        {due && tone && (
          <span title={due.title} data-due={due.state} className={cn('inline-flex items-center gap-1 rounded-full px-1.5 py-0.5', tone.className)}>
            <tone.Icon aria-hidden="true" className="size-3" />
            {due.text}
          </span>
        )}
        {card.subtasks_total > 0 && (
          <span role="img" aria-label={`${card.subtasks_done} of ${card.subtasks_total} subtasks done`} className="inline-flex items-center gap-1">
            <CheckSquareIcon aria-hidden="true" className="size-3" />
            {card.subtasks_done}/{card.subtasks_total}
          </span>
        )}
        {card.assignees.length > 0 && (
          <span className="ml-auto flex -space-x-1.5">
            {card.assignees.map((a) => (
              <span
                key={a.user_id}
                role="img"
                aria-label={`Assigned to ${a.name}`}
                title={a.name}
                style={{ backgroundColor: avatarColor(a.user_id) }}
                className="grid size-6 place-items-center rounded-full text-[10px] font-semibold text-white ring-2 ring-card"
              >
                {a.initials}
              </span>
            ))}
          </span>
        )}
      </span>
    </>
  )
}

/**
 * A card on the board. Enter (or a click) opens the task drawer through onOpen; Space or M picks it up for a
 * keyboard move (the board's KeyboardSensor), arrows move it, Space or Enter drops it and Escape cancels.
 * Its details are the button's description, so a screen reader hears the title first.
 */
export const TaskCard = memo(function TaskCard({ card, done, today, draggable, onOpen }: ContentProps & { draggable: boolean; onOpen: (id: string) => void }) {
  const metaId = useId()
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    data: { type: 'card', columnId: card.column_id },
    disabled: !draggable,
  })
  // Every sortable card re-renders when a drag starts or moves; what it shows does not change meanwhile.
  const content = useMemo(() => <TaskCardContent card={card} done={done} today={today} metaId={metaId} />, [card, done, today, metaId])
  return (
    <li ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition }} className="list-none" data-testid="task-card">
      <button
        type="button"
        {...attributes}
        {...listeners}
        onClick={() => onOpen(card.id)}
        data-task-id={card.id}
        aria-roledescription={draggable ? 'draggable task' : undefined}
        aria-disabled={undefined}
        aria-pressed={undefined}
        aria-describedby={draggable ? `${metaId} ${attributes['aria-describedby']}` : metaId}
        // While it is dragged the overlay shows the card; its place in the column stays as a faint outline.
        className={cn(cardClass, draggable && 'select-none [-webkit-touch-callout:none]', isDragging && 'border-dashed border-ring bg-muted opacity-40 shadow-none')}
      >
        {content}
      </button>
    </li>
  )
})

/** The card under the pointer (or moved by the keyboard) while it is dragged: the board's DragOverlay. */
export function TaskCardPreview({ card, done, today }: ContentProps) {
  return (
    <div aria-hidden="true" className={cn(cardClass, 'cursor-grabbing border-ring shadow-lg ring-2 ring-ring')}>
      <TaskCardContent card={card} done={done} today={today} />
    </div>
  )
}
