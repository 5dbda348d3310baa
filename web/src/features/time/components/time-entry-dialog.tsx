import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { Controller, useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { useCreateTimeEntry, useUpdateTimeEntry, type TimeEntry } from '../data/api'
import {
  apiFieldToForm,
  diffEntry,
  timeEntryFormSchema,
  toCreateBody,
  toFormInput,
  type TimeEntryFormInput,
  type TimeEntryFormValues,
} from '../data/schema'
import { ProjectSelect, TaskSelect } from './project-task-fields'

/** "Log time" (no `entry`) or "Edit time entry" in a dialog. */
export function TimeEntryDialog({
  orgId,
  open,
  entry,
  day,
  projectId,
  taskId,
  onOpenChange,
}: {
  orgId: string
  open: boolean
  entry?: TimeEntry
  /** The day a new entry starts on (YYYY-MM-DD). */
  day: string
  /** Preselects a project (and task) for a new entry, e.g. from a task drawer. */
  projectId?: string
  taskId?: string
  onOpenChange: (open: boolean) => void
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{entry ? 'Edit time entry' : 'Log time'}</DialogTitle>
          <DialogDescription>{entry ? 'Change the project, day, duration or note.' : 'Record time you worked without the timer.'}</DialogDescription>
        </DialogHeader>
        {open && (
          <TimeEntryForm orgId={orgId} entry={entry} day={day} projectId={projectId} taskId={taskId} onDone={() => onOpenChange(false)} />
        )}
      </DialogContent>
    </Dialog>
  )
}

function TimeEntryForm({
  orgId,
  entry,
  day,
  projectId,
  taskId,
  onDone,
}: {
  orgId: string
  entry?: TimeEntry
  day: string
  projectId?: string
  taskId?: string
  onDone: () => void
}) {
  const create = useCreateTimeEntry(orgId)
  const update = useUpdateTimeEntry(orgId)
  const form = useForm<TimeEntryFormInput, unknown, TimeEntryFormValues>({
    resolver: zodResolver(timeEntryFormSchema),
    defaultValues: { ...toFormInput(entry, day, projectId), ...(taskId && !entry ? { taskId } : {}) },
  })
  const { errors, isSubmitting } = form.formState
  const running = entry !== undefined && entry.minutes === null

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      if (entry) {
        const changes = diffEntry(entry, values)
        if (Object.keys(changes).length > 0) await update.mutateAsync({ entryId: entry.id, body: changes })
        toast.success('Time entry updated')
      } else {
        await create.mutateAsync(toCreateBody(values))
        toast.success('Time logged')
      }
      onDone()
    } catch (error) {
      showServerErrors(error, form.setError)
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <Controller
        control={form.control}
        name="projectId"
        render={({ field }) => (
          <FormField label="Project" required error={errors.projectId?.message}>
            <ProjectSelect
              orgId={orgId}
              value={field.value}
              onChange={(id) => {
                field.onChange(id)
                form.setValue('taskId', '')
              }}
            />
          </FormField>
        )}
      />
      <Controller
        control={form.control}
        name="taskId"
        render={({ field }) => (
          <FormField label="Task" error={errors.taskId?.message}>
            <TaskSelect orgId={orgId} projectId={form.watch('projectId')} value={field.value} onChange={field.onChange} />
          </FormField>
        )}
      />
      <div className="grid grid-cols-3 gap-3">
        <FormField label="Date" required error={errors.date?.message}>
          <Input type="date" {...form.register('date')} />
        </FormField>
        <FormField label="Hours" error={errors.hours?.message}>
          <Input type="number" min={0} max={24} inputMode="numeric" disabled={running} {...form.register('hours')} />
        </FormField>
        <FormField label="Minutes" error={errors.minutes?.message}>
          <Input type="number" min={0} max={59} inputMode="numeric" disabled={running} {...form.register('minutes')} />
        </FormField>
      </div>
      <FormField label="Note" error={errors.note?.message}>
        <Textarea rows={3} placeholder="What did you work on?" {...form.register('note')} />
      </FormField>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4" {...form.register('billable')} />
        Billable
      </label>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Save
        </Button>
      </DialogFooter>
    </form>
  )
}

/** Puts the API's field errors onto the form's fields, the rest into the form alert. */
function showServerErrors(error: unknown, setError: ReturnType<typeof useForm<TimeEntryFormInput, unknown, TimeEntryFormValues>>['setError']) {
  if (!(error instanceof ApiError)) {
    setError('root.server', { message: 'Something went wrong. Please try again.' })
    return
  }
  if (error.isServerError) return
  let placed = false
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    const target = apiFieldToForm[field]
    if (target) {
      setError(target, { type: 'server', message }, { shouldFocus: !placed })
      placed = true
    }
  }
  if (!placed) setError('root.server', { message: error.status === 404 ? 'That project or entry no longer exists.' : error.detail })
}
