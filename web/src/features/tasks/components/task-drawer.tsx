import * as DialogPrimitive from '@radix-ui/react-dialog'
import { AlertCircleIcon, Trash2Icon, XIcon } from 'lucide-react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { NativeSelect } from '@/components/ui/native-select'
import { useDeleteTask, useProjectMembers, useTask, useUpdateTask } from '../data/api'
import { priorities, type Column, type TaskDetail, type TaskUpdate } from '../data/types'
import { AuditLog } from './audit-log'
import { taskDrawerSections } from './drawer-sections'
import { RichTextEditor } from './rich-text-editor'
import { SubtaskList } from './subtask-list'

/**
 * The task drawer: opens from a card or from ?task=<id>, and closes back to the board. onCloseAutoFocus lets
 * the page put focus back on the task's card (the drawer has no trigger of its own to return to).
 */
export function TaskDrawer({ orgId, projectId, taskId, columns, onClose, onCloseAutoFocus }: {
  orgId: string
  projectId: string
  taskId: string | null
  columns: Column[]
  onClose: () => void
  onCloseAutoFocus?: (event: Event) => void
}) {
  const task = useTask(orgId, projectId, taskId)
  return (
    <DialogPrimitive.Root open={Boolean(taskId)} onOpenChange={(open) => !open && onClose()}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <DialogPrimitive.Content className="fixed inset-y-0 right-0 z-50 flex w-full max-w-xl flex-col gap-4 overflow-y-auto border-l bg-background p-6 shadow-lg" aria-describedby={undefined} onCloseAutoFocus={onCloseAutoFocus}>
          <DialogPrimitive.Close className="absolute top-4 right-4 opacity-70 hover:opacity-100" aria-label="Close task">
            <XIcon aria-hidden="true" className="size-4" />
          </DialogPrimitive.Close>
          {task.isPending && (
            <>
              <DialogPrimitive.Title className="sr-only">Loading task</DialogPrimitive.Title>
              <Skeleton className="h-8 w-2/3" />
              <Skeleton className="h-40" />
            </>
          )}
          {task.isError && (
            <>
              <DialogPrimitive.Title className="sr-only">Task unavailable</DialogPrimitive.Title>
              <Alert variant="destructive">
                <AlertCircleIcon aria-hidden="true" />
                <AlertTitle>The task could not be loaded</AlertTitle>
                <AlertDescription>{task.error instanceof ApiError && task.error.status === 404 ? 'It was deleted or you cannot see it.' : task.error.message}</AlertDescription>
              </Alert>
            </>
          )}
          {task.data && <TaskFields key={task.data.id} orgId={orgId} projectId={projectId} task={task.data} columns={columns} onDeleted={onClose} />}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  )
}

/** The name of the client contact who requested the task from the portal, if one did. */
function requesterOf(task: TaskDetail): string | undefined {
  return task.requester ? task.requester.name || 'a client contact' : undefined
}

function TaskFields({ orgId, projectId, task, columns, onDeleted }: {
  orgId: string
  projectId: string
  task: TaskDetail
  columns: Column[]
  onDeleted: () => void
}) {
  const permissions = useOrgPermissions(orgId)
  const canWrite = permissions.can('tasks.write')
  const update = useUpdateTask(orgId, projectId, task.id)
  const remove = useDeleteTask(orgId, projectId)
  const members = useProjectMembers(orgId, projectId)
  const save = (body: TaskUpdate) =>
    update.mutate(body, {
      onError: (e) => toast.error(e instanceof ApiError ? Object.values(e.fieldErrors)[0] ?? e.detail : 'The task could not be saved.'),
    })
  const toggleAssignee = (userId: string, on: boolean) =>
    save({ assignee_ids: on ? [...task.assignee_ids, userId] : task.assignee_ids.filter((id) => id !== userId) })
  return (
    <div className="grid gap-5">
      <div className="grid gap-1 pr-8">
        <span className="text-xs text-muted-foreground">
          #{task.number}
          {requesterOf(task) && <> · Requested by {requesterOf(task)}</>}
        </span>
        <DialogPrimitive.Title asChild>
          <Input
            aria-label="Title"
            className="text-lg font-semibold"
            defaultValue={task.title}
            readOnly={!canWrite}
            maxLength={300}
            onBlur={(e) => e.target.value.trim() && e.target.value.trim() !== task.title && save({ title: e.target.value.trim() })}
          />
        </DialogPrimitive.Title>
      </div>
      <div className="grid grid-cols-2 gap-4">
        <FormField label="Column">
          <NativeSelect value={task.column_id} disabled={!canWrite} onChange={(e) => save({ column_id: e.target.value })}>
            {columns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label="Priority">
          <NativeSelect value={task.priority} disabled={!canWrite} onChange={(e) => save({ priority: e.target.value as TaskUpdate['priority'] })}>
            {priorities.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label="Due date">
          <Input type="date" defaultValue={task.due_date ?? ''} readOnly={!canWrite} onBlur={(e) => e.target.value !== (task.due_date ?? '') && save({ due_date: e.target.value })} />
        </FormField>
        <FormField label="Estimate (minutes)">
          <Input
            type="number"
            min={0}
            defaultValue={task.estimate_minutes ?? ''}
            readOnly={!canWrite}
            onBlur={(e) => {
              const raw = e.target.value
              if (raw === String(task.estimate_minutes ?? '')) return
              save(raw === '' ? { clear_estimate: true } : { estimate_minutes: Number(raw) })
            }}
          />
        </FormField>
      </div>
      <fieldset className="grid gap-1">
        <legend className="mb-1 text-sm font-medium">Assignees</legend>
        {members.data?.data.length === 0 && <p className="text-sm text-muted-foreground">Nobody is on this project yet.</p>}
        {members.data?.data.map((m) => (
          <label key={m.user_id} className="flex items-center gap-2 text-sm">
            <input type="checkbox" disabled={!canWrite} checked={task.assignee_ids.includes(m.user_id)} onChange={(e) => toggleAssignee(m.user_id, e.target.checked)} />
            {m.name}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-1">
        <span className="text-sm font-medium">Description</span>
        <RichTextEditor label="Description" value={task.description} editable={canWrite} onSave={(description) => save({ description })} />
      </div>
      <SubtaskList orgId={orgId} projectId={projectId} taskId={task.id} subtasks={task.subtasks} canWrite={canWrite} />
      {taskDrawerSections.map(({ id, Component }) => (
        <Component key={id} orgId={orgId} projectId={projectId} taskId={task.id} />
      ))}
      <AuditLog orgId={orgId} projectId={projectId} task={task} />
      {permissions.can('tasks.delete') && (
        <Button
          variant="outline"
          className="justify-self-start text-destructive"
          onClick={() => remove.mutate(task.id, { onSuccess: onDeleted, onError: () => toast.error('The task could not be deleted.') })}
        >
          <Trash2Icon aria-hidden="true" />
          Delete task
        </Button>
      )}
    </div>
  )
}
