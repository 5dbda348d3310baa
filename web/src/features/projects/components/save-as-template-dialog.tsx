import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { z } from 'zod'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useSaveAsTemplate } from '../data/api'
import type { Project } from '../data/types'

const templateNameSchema = z.object({ name: z.string().trim().min(1, 'Name is required').max(200, 'Use at most 200 characters') })
type TemplateNameValues = z.infer<typeof templateNameSchema>

/** Names the template a project's columns and tasks are saved as. */
export function SaveAsTemplateDialog({
  orgId,
  project,
  open,
  onOpenChange,
}: {
  orgId: string
  project: Project
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const save = useSaveAsTemplate(orgId)
  const form = useForm<TemplateNameValues>({ resolver: zodResolver(templateNameSchema), defaultValues: { name: project.name } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async ({ name }) => {
    try {
      await save.mutateAsync({ projectId: project.id, name })
      toast.success(`Template ${name} saved`)
      onOpenChange(false)
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['name'])
    }
  })

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Save as template</DialogTitle>
          <DialogDescription>New projects can start from this board: its columns and tasks, with due dates relative to the start date.</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} noValidate className="grid gap-5">
          <FormAlert message={errors.root?.server?.message} />
          <FormField label="Template name" required error={errors.name?.message}>
            <Input autoFocus autoComplete="off" {...form.register('name')} />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Save template
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
