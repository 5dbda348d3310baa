import { ArrowDownIcon, ArrowUpIcon, Trash2Icon } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useSubtaskMutations } from '../data/api'
import type { Subtask } from '../data/types'

/** The task's checklist: add, tick, reorder (up/down, keyboard friendly) and delete items. */
export function SubtaskList({ orgId, projectId, taskId, subtasks, canWrite }: {
  orgId: string
  projectId: string
  taskId: string
  subtasks: Subtask[]
  canWrite: boolean
}) {
  const { create, update, remove } = useSubtaskMutations(orgId, projectId, taskId)
  const [title, setTitle] = useState('')
  const fail = () => toast.error('The checklist could not be saved.')
  const add = (e: FormEvent) => {
    e.preventDefault()
    if (!title.trim()) return
    create.mutate(title.trim(), { onSuccess: () => setTitle(''), onError: fail })
  }
  const move = (index: number, delta: -1 | 1) => {
    const neighbour = subtasks[index + delta]
    if (!neighbour) return
    const placement = delta === 1 ? { after_id: neighbour.id } : { before_id: neighbour.id }
    update.mutate({ subtaskId: subtasks[index].id, body: { move: placement } }, { onError: fail })
  }
  // While a tick is saving (and the task reloads), show the new state instead of the old one.
  const isDone = (s: Subtask) => {
    const pending = update.isPending ? update.variables : undefined
    return pending?.subtaskId === s.id && pending.body.done !== undefined && pending.body.done !== null ? pending.body.done : s.done
  }
  const done = subtasks.filter(isDone).length
  return (
    <section aria-labelledby="subtasks-heading" className="grid gap-2">
      <h3 id="subtasks-heading" className="text-sm font-semibold">
        Subtasks <span className="font-normal text-muted-foreground">{done}/{subtasks.length}</span>
      </h3>
      {subtasks.length === 0 && <p className="text-sm text-muted-foreground">No subtasks yet.</p>}
      <ul className="grid gap-1">
        {subtasks.map((s, i) => (
          <li key={s.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={isDone(s)}
              disabled={!canWrite}
              aria-label={`Done: ${s.title}`}
              onChange={(e) => update.mutate({ subtaskId: s.id, body: { done: e.target.checked } }, { onError: fail })}
            />
            <span className={isDone(s) ? 'text-muted-foreground line-through' : ''}>{s.title}</span>
            {canWrite && (
              <span className="ml-auto flex">
                <Button size="icon" variant="ghost" className="size-7" aria-label={`Move ${s.title} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                  <ArrowUpIcon aria-hidden="true" />
                </Button>
                <Button size="icon" variant="ghost" className="size-7" aria-label={`Move ${s.title} down`} disabled={i === subtasks.length - 1} onClick={() => move(i, 1)}>
                  <ArrowDownIcon aria-hidden="true" />
                </Button>
                <Button size="icon" variant="ghost" className="size-7" aria-label={`Delete ${s.title}`} onClick={() => remove.mutate(s.id, { onError: fail })}>
                  <Trash2Icon aria-hidden="true" />
                </Button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {canWrite && (
        <form onSubmit={add} className="flex gap-2">
          <Input aria-label="New subtask" placeholder="Add a subtask" value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
          <Button type="submit" variant="outline" disabled={create.isPending}>
            Add
          </Button>
        </form>
      )}
    </section>
  )
}
