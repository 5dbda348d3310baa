import { LockIcon, PlusIcon, TimerIcon } from 'lucide-react'
import { useRef, useState, type KeyboardEvent } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { useNow } from '@/lib/use-now'
import { cn } from '@/lib/utils'
import { useCreateTimeEntry, useDeleteTimeEntry, useProjectOptions, useTaskOptions, useUpdateTimeEntry, type TimeEntry } from '../data/api'
import { cellChange, cellText, entryMinutes, gridRows, parseCell, rowKey, sumMinutes, type GridRow } from '../data/grid'
import { formatMinutes } from '../data/schema'
import { ProjectSelect, TaskSelect } from './project-task-fields'

const dayHead = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', timeZone: 'UTC' })
const dayLong = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' })
const dayDate = (day: string) => new Date(`${day}T00:00:00Z`)

type RowHead = Omit<GridRow, 'cells' | 'nonBillable'>

/**
 * One person's week as a grid: a row per project (or task) and a column per day, totals per row and
 * day. With `editable`, typing hours into a cell logs, changes or removes that day's time (see
 * cellChange); a running timer counts live and billed time is locked.
 */
export function WeekGrid({ orgId, days, entries, editable }: { orgId: string; days: string[]; entries: TimeEntry[]; editable: boolean }) {
  const now = useNow(30_000)
  const [added, setAdded] = useState<RowHead[]>([])
  const rows = gridRows(entries, days, added)
  const dayTotal = (i: number) => rows.reduce((sum, r) => sum + sumMinutes(r.cells[i], now), 0)
  const weekTotal = days.reduce((sum, _, i) => sum + dayTotal(i), 0)

  return (
    <div className="grid gap-3">
      <p className="text-xs text-muted-foreground sm:hidden">Scroll the grid sideways to see every day.</p>
      <div className="scroll-cue overflow-x-auto rounded-md border" role="region" aria-label="Week grid" tabIndex={0}>
        <table className="w-full min-w-[44rem] text-sm">
          <caption className="sr-only">Hours per project and day{editable ? '; type hours into a day to log them' : ''}</caption>
          <thead>
            <tr className="border-b bg-muted/40">
              <th scope="col" className="sticky left-0 z-10 bg-muted px-3 py-2 text-left font-medium">
                Project / task
              </th>
              {days.map((day) => (
                <th key={day} scope="col" className="px-1 py-2 text-center font-medium">
                  <abbr title={dayLong.format(dayDate(day))} className="no-underline">
                    {dayHead.format(dayDate(day))}
                  </abbr>
                </th>
              ))}
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={days.length + 2} className="px-3 py-8 text-center text-muted-foreground">
                  No time logged this week.{editable && ' Add a row below to start.'}
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.key} className="border-b last:border-0">
                <th scope="row" className="sticky left-0 z-10 max-w-56 bg-background px-3 py-1.5 text-left font-normal">
                  <span className="block truncate font-medium">{row.projectName}</span>
                  {row.taskTitle && <span className="block truncate text-xs text-muted-foreground">{row.taskTitle}</span>}
                  {row.nonBillable && (
                    <Badge variant="secondary" className="mt-0.5">
                      Non-billable
                    </Badge>
                  )}
                </th>
                {row.cells.map((cell, i) => (
                  <td key={days[i]} className="px-1 py-1 text-center">
                    <GridCell orgId={orgId} row={row} day={days[i]} entries={cell} now={now} editable={editable} />
                  </td>
                ))}
                <td className="px-3 py-1.5 text-right font-medium tabular-nums">
                  {formatMinutes(row.cells.reduce((sum, c) => sum + sumMinutes(c, now), 0))}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="border-t bg-muted/40">
              <th scope="row" className="sticky left-0 z-10 bg-muted px-3 py-2 text-left font-medium">
                Total
              </th>
              {days.map((day, i) => (
                <td key={day} className="px-1 py-2 text-center font-medium tabular-nums">
                  {formatMinutes(dayTotal(i))}
                </td>
              ))}
              <td className="px-3 py-2 text-right font-semibold tabular-nums">{formatMinutes(weekTotal)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {editable && <AddRow orgId={orgId} onAdd={(r) => setAdded((list) => [...list, r])} />}
    </div>
  )
}

/**
 * A day of a row: an input for hours (saved on Enter or when focus leaves; Escape puts the saved value
 * back), or the time as text when it cannot be typed over (someone else's week, a running timer, billed).
 */
function GridCell({ orgId, row, day, entries, now, editable }: { orgId: string; row: GridRow; day: string; entries: TimeEntry[]; now: number; editable: boolean }) {
  const running = entries.some((e) => e.minutes === null)
  const billed = entries.some((e) => e.billed_at)
  const saved = cellText(entries.reduce((sum, e) => sum + entryMinutes(e, now), 0))
  const label = `${row.projectName}${row.taskTitle ? ` · ${row.taskTitle}` : ''}, ${dayLong.format(dayDate(day))}`
  if (!editable || running || billed) {
    return (
      <span className="inline-flex items-center gap-1 tabular-nums" aria-label={`${label}: ${saved || 'nothing'}${running ? ', timer running' : ''}${billed ? ', billed' : ''}`}>
        {running && <TimerIcon className="size-3.5 text-primary" aria-hidden="true" />}
        {billed && <LockIcon className="size-3.5 text-muted-foreground" aria-hidden="true" />}
        {saved || <span className="text-muted-foreground">–</span>}
      </span>
    )
  }
  // Remounted with the saved value whenever the server's figure changes (key), so no syncing effect.
  return <CellInput key={saved} orgId={orgId} row={row} day={day} entries={entries} saved={saved} label={label} />
}

function CellInput({ orgId, row, day, entries, saved, label }: { orgId: string; row: GridRow; day: string; entries: TimeEntry[]; saved: string; label: string }) {
  const [text, setText] = useState(saved)
  const [error, setError] = useState<string>()
  const create = useCreateTimeEntry(orgId)
  const update = useUpdateTimeEntry(orgId)
  const remove = useDeleteTimeEntry(orgId)
  const busy = create.isPending || update.isPending || remove.isPending
  // What was last sent: Enter then leaving the cell (or a second Enter) must not log the same time twice.
  const sent = useRef(saved)

  const save = async () => {
    if (text === sent.current) return setError(undefined)
    const parsed = parseCell(text)
    if ('error' in parsed) return setError(parsed.error)
    const change = cellChange(entries, parsed.minutes)
    if (change.kind === 'refuse') return setError(change.reason)
    setError(undefined)
    sent.current = text
    try {
      if (change.kind === 'create') {
        await create.mutateAsync({ project_id: row.projectId, task_id: row.taskId ?? undefined, date: day, minutes: change.minutes })
      } else if (change.kind === 'update') {
        await update.mutateAsync({ entryId: change.entryId, body: { minutes: change.minutes } })
      } else if (change.kind === 'delete') {
        await remove.mutateAsync(change.entryId)
      }
    } catch (err) {
      sent.current = saved
      setError(err instanceof ApiError ? err.message : 'The time could not be saved. Try again.')
      toast.error('The time could not be saved.')
    }
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') void save()
    if (e.key === 'Escape') {
      sent.current = saved
      setText(saved)
      setError(undefined)
    }
  }
  const errorId = `cell-error-${row.key}-${day}`
  return (
    <div className="relative">
      <input
        type="text"
        inputMode="decimal"
        autoComplete="off"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        aria-busy={busy || undefined}
        value={text}
        placeholder="–"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={onKeyDown}
        className={cn(
          'h-8 w-16 rounded-md border border-transparent bg-transparent px-1 text-center tabular-nums outline-none hover:border-input focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring',
          error && 'border-destructive',
          busy && 'opacity-60',
        )}
      />
      {error && (
        <span id={errorId} role="alert" className="absolute top-full left-1/2 z-20 mt-1 w-48 -translate-x-1/2 rounded-md border bg-popover p-2 text-xs text-destructive shadow-md">
          {error}
        </span>
      )}
    </div>
  )
}

/** Picks a project (and task) to add as an empty row, so its days can be typed into. */
function AddRow({ orgId, onAdd }: { orgId: string; onAdd: (row: RowHead) => void }) {
  const [projectId, setProjectId] = useState('')
  const [taskId, setTaskId] = useState('')
  const projects = useProjectOptions(orgId)
  const tasks = useTaskOptions(orgId, projectId || undefined)
  const add = () => {
    const project = projects.data?.find((p) => p.id === projectId)
    if (!project) return
    const task = tasks.data?.find((t) => t.id === taskId)
    onAdd({ key: rowKey(project.id, task?.id ?? null), projectId: project.id, projectName: project.name, taskId: task?.id ?? null, taskTitle: task?.title ?? null })
    setProjectId('')
    setTaskId('')
  }
  return (
    <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Add a row">
      <div className="w-full sm:w-56">
        <ProjectSelect orgId={orgId} value={projectId} onChange={(v) => { setProjectId(v); setTaskId('') }} aria-label="Project of the new row" />
      </div>
      <div className="w-full sm:w-56">
        <TaskSelect orgId={orgId} projectId={projectId} value={taskId} onChange={setTaskId} aria-label="Task of the new row" />
      </div>
      <Button variant="outline" onClick={add} disabled={!projectId}>
        <PlusIcon aria-hidden="true" />
        Add row
      </Button>
    </div>
  )
}
