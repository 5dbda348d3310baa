import { zodResolver } from '@hookform/resolvers/zod'
import { PlusIcon } from 'lucide-react'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useCreateTask } from '../data/api'

const schema = z.object({ title: z.string().trim().min(1, 'Give the task a title').max(300, 'At most 300 characters') })
type Values = z.infer<typeof schema>

/** "Add task" at the foot of a column: a one-line form that keeps focus for the next task. */
export function AddTaskInline({ orgId, projectId, columnId, columnName }: { orgId: string; projectId: string; columnId: string; columnName: string }) {
  const [open, setOpen] = useState(false)
  const create = useCreateTask(orgId, projectId)
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { title: '' } })
  const error = form.formState.errors.title?.message ?? form.formState.errors.root?.server?.message

  if (!open) {
    return (
      <Button variant="ghost" size="sm" className="justify-start" onClick={() => setOpen(true)}>
        <PlusIcon aria-hidden="true" />
        Add task
      </Button>
    )
  }
  const submit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync({ title: values.title, column_id: columnId })
      form.reset()
    } catch (e) {
      showApiErrorOnForm(e, form.setError, ['title'])
    }
  })
  return (
    <form onSubmit={submit} className="grid gap-1">
      <Input
        autoFocus
        aria-label={`New task in ${columnName}`}
        placeholder="Task title"
        aria-invalid={error ? true : undefined}
        {...form.register('title')}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        onBlur={() => !form.getValues('title') && setOpen(false)}
      />
      {error && <p className="text-xs text-destructive">{error}</p>}
    </form>
  )
}
