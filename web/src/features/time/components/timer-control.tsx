import { Loader2Icon, PlayIcon, SquareIcon, TimerIcon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useNow } from '@/lib/use-now'
import { useStartTimer, useStopTimer, useTimer, type TimeEntry } from '../data/api'
import { formatElapsed, formatMinutes } from '../data/schema'
import { ProjectSelect, TaskSelect } from './project-task-fields'

/** The header's timer: start it on a project (and task), watch it run, stop it. Hidden without time.write. */
export function TimerControl({ orgId }: { orgId: string }) {
  const canWrite = useOrgPermissions(orgId).can('time.write')
  const timer = useTimer(orgId)
  const [picking, setPicking] = useState(false)
  if (!canWrite || timer.isError) return null
  if (timer.isPending) return <Loader2Icon className="size-4 animate-spin text-muted-foreground" aria-label="Loading timer" />
  return (
    <>
      {timer.data ? (
        <RunningTimer orgId={orgId} entry={timer.data} />
      ) : (
        <Button variant="outline" size="sm" onClick={() => setPicking(true)}>
          <PlayIcon aria-hidden="true" />
          Start timer
        </Button>
      )}
      <StartTimerDialog orgId={orgId} open={picking} onOpenChange={setPicking} />
    </>
  )
}

function RunningTimer({ orgId, entry }: { orgId: string; entry: TimeEntry }) {
  const now = useNow()
  const elapsed = formatElapsed(now - new Date(entry.started_at).getTime())
  return (
    <div className="flex items-center gap-2 rounded-md border px-2 py-1 text-sm">
      <TimerIcon className="size-4 text-primary" aria-hidden="true" />
      <span className="hidden max-w-40 truncate sm:inline" title={entry.task_title ?? entry.project_name}>
        {entry.project_name}
      </span>
      <span className="font-mono tabular-nums" role="timer" aria-label="Elapsed time">
        {elapsed}
      </span>
      <StopTimerButton orgId={orgId} />
    </div>
  )
}

/** Picks a project (and task) and starts the timer on it; the header and the command palette open it. */
export function StartTimerDialog({ orgId, open, onOpenChange }: { orgId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const start = useStartTimer(orgId)
  const [projectId, setProjectId] = useState('')
  const [taskId, setTaskId] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string>()

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    if (!projectId) {
      setError('Pick a project to track time on')
      return
    }
    start.mutate(
      { project_id: projectId, task_id: taskId || undefined, note },
      {
        onSuccess: () => {
          onOpenChange(false)
          setProjectId('')
          setTaskId('')
          setNote('')
          setError(undefined)
        },
        onError: (err) => setError(err instanceof ApiError ? (Object.values(err.fieldErrors)[0] ?? err.detail) : 'Something went wrong.'),
      },
    )
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md">
        <DialogHeader>
          <DialogTitle>Start timer</DialogTitle>
          <DialogDescription>Track time on a project as you work.</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <FormField label="Project" required error={error}>
            <ProjectSelect
              orgId={orgId}
              value={projectId}
              onChange={(id) => {
                setProjectId(id)
                setTaskId('')
                setError(undefined)
              }}
            />
          </FormField>
          <FormField label="Task">
            <TaskSelect orgId={orgId} projectId={projectId} value={taskId} onChange={setTaskId} />
          </FormField>
          <FormField label="Note">
            <Input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder="What are you working on?" />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={start.isPending}>
              {start.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Start
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

/** Stops the running timer and says what was logged (the header and My work use it). */
export function StopTimerButton({ orgId }: { orgId: string }) {
  const stop = useStopTimer(orgId)
  return (
    <Button
      size="sm"
      variant="destructive"
      disabled={stop.isPending}
      onClick={() =>
        stop.mutate(undefined, {
          onSuccess: (e) => toast.success(`Logged ${formatMinutes(e.minutes ?? 0)} on ${e.project_name}`),
          onError: (error) => error instanceof ApiError && error.status === 409 && toast.info('The timer was already stopped.'),
        })
      }
    >
      <SquareIcon aria-hidden="true" />
      Stop timer
    </Button>
  )
}
