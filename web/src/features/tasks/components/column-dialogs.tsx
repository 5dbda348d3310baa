import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { z } from 'zod'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useCreateColumn, useDeleteColumn, useUpdateColumn } from '../data/api'
import type { BoardColumn } from '../data/types'

const columnSchema = z.object({
  name: z.string().trim().min(1, 'Name the column').max(60, 'At most 60 characters'),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Pick a colour'),
  is_done: z.boolean(),
})
type ColumnValues = z.infer<typeof columnSchema>

/** Creates a column (no `column`) or renames, recolours and flags one. */
export function ColumnFormDialog({ orgId, projectId, column, open, onOpenChange }: {
  orgId: string
  projectId: string
  column?: BoardColumn
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const create = useCreateColumn(orgId, projectId)
  const update = useUpdateColumn(orgId, projectId)
  const form = useForm<ColumnValues>({
    resolver: zodResolver(columnSchema),
    values: { name: column?.name ?? '', color: column?.color ?? '#94a3b8', is_done: column?.is_done ?? false },
  })
  const submit = form.handleSubmit(async (values) => {
    try {
      if (column) await update.mutateAsync({ columnId: column.id, body: values })
      else await create.mutateAsync(values)
      onOpenChange(false)
    } catch (e) {
      showApiErrorOnForm(e, form.setError, ['name', 'color', 'is_done'])
    }
  })
  const errors = form.formState.errors
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form onSubmit={submit} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{column ? 'Edit column' : 'New column'}</DialogTitle>
            <DialogDescription>Tasks moved into a done column count as completed.</DialogDescription>
          </DialogHeader>
          <FormField label="Name" error={errors.name?.message} required>
            <Input {...form.register('name')} />
          </FormField>
          <FormField label="Colour" error={errors.color?.message}>
            <Input type="color" className="h-9 w-20 p-1" {...form.register('color')} />
          </FormField>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register('is_done')} />
            Done column
          </label>
          {errors.root?.server && <p className="text-sm text-destructive">{errors.root.server.message}</p>}
          <DialogFooter>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

/** Deletes a column; when it holds tasks, asks which column receives them. */
export function DeleteColumnDialog({ orgId, projectId, column, columns, open, onOpenChange }: {
  orgId: string
  projectId: string
  column: BoardColumn
  columns: BoardColumn[]
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const targets = columns.filter((c) => c.id !== column.id)
  const [target, setTarget] = useState(targets[0]?.id ?? '')
  const remove = useDeleteColumn(orgId, projectId)
  const hasTasks = column.tasks.length > 0
  const confirm = async () => {
    try {
      await remove.mutateAsync({ columnId: column.id, moveTasksTo: hasTasks ? target : undefined })
      onOpenChange(false)
      toast.success(`Column ${column.name} deleted`)
    } catch {
      toast.error('The column could not be deleted.')
    }
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Delete column {column.name}?</DialogTitle>
          <DialogDescription>
            {hasTasks ? `Its ${column.tasks.length} tasks move to the end of another column, in order.` : 'The column is empty.'}
          </DialogDescription>
        </DialogHeader>
        {hasTasks && (
          <FormField label="Move tasks to">
            <NativeSelect value={target} onChange={(e) => setTarget(e.target.value)}>
              {targets.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </NativeSelect>
          </FormField>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button variant="destructive" onClick={confirm} disabled={remove.isPending || (hasTasks && !target)}>
            Delete column
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
