import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { useNavigate } from 'react-router'
import { z } from 'zod'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { useCreateTask } from '@/features/tasks/data/api'
import { showApiErrorOnForm } from '@/lib/form-errors'

const schema = z.object({ title: z.string().trim().min(1, 'Give the task a title').max(300, 'At most 300 characters') })
type Values = z.infer<typeof schema>

/**
 * "New task in …" from the command palette: a title, then the task opens in its board's drawer (the
 * board's own route, ?task=), where the rest of it is edited. The task goes to the project's first column,
 * as the API places a task created without one.
 */
export function NewTaskDialog({ orgId, projectId, projectName, open, onOpenChange }: {
  orgId: string
  projectId: string
  projectName?: string
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const navigate = useNavigate()
  const create = useCreateTask(orgId, projectId)
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { title: '' } })
  const submit = form.handleSubmit(async (values) => {
    try {
      const task = await create.mutateAsync({ title: values.title })
      onOpenChange(false)
      navigate(`/orgs/${orgId}/projects/${projectId}/board?task=${task.id}`)
    } catch (e) {
      showApiErrorOnForm(e, form.setError, ['title'])
    }
  })
  const error = form.formState.errors.title?.message ?? form.formState.errors.root?.server?.message
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md">
        <DialogHeader>
          <DialogTitle>{projectName ? `New task in ${projectName}` : 'New task'}</DialogTitle>
          <DialogDescription>It opens once created, to add the details.</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <FormField label="Title" required error={error}>
            <Input autoFocus maxLength={300} {...form.register('title')} />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Create task
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
