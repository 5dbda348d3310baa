import { zodResolver } from '@hookform/resolvers/zod'
import { useQuery } from '@tanstack/react-query'
import { Loader2Icon } from 'lucide-react'
import { useId, type ComponentProps } from 'react'
import { useForm } from 'react-hook-form'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useClientOptions } from '@/features/clients/data/api'
import { orgSettingsQuery } from '@/features/org-settings/data/api'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { moneyPlaceholder } from '@/lib/money'
import { useCreateProject, useTemplates, useUpdateProject } from '../data/api'
import {
  diffProject,
  projectFormFields,
  projectCurrency,
  projectFormSchema,
  projectStatuses,
  projectStatusLabels,
  toCreateBody,
  toFormInput,
  type ProjectFormInput,
  type ProjectFormValues,
} from '../data/schema'
import type { Project } from '../data/types'
import { NativeSelect } from '@/components/ui/native-select'

/** "New project" (no `project`) or "Edit project" in a dialog. */
export function ProjectFormDialog({
  orgId,
  open,
  project,
  onOpenChange,
}: {
  orgId: string
  open: boolean
  project?: Project
  onOpenChange: (open: boolean) => void
}) {
  // The currency is asked for when the dialog opens, not on every page that could open it.
  const settings = useQuery({ ...orgSettingsQuery(orgId), enabled: open })
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{project ? 'Edit project' : 'New project'}</DialogTitle>
          <DialogDescription>
            {project ? `Update the details of ${project.name}.` : 'Start a project from scratch or from a template. Only the name is required.'}
          </DialogDescription>
        </DialogHeader>
        {settings.data ? (
          <ProjectForm orgId={orgId} project={project} currency={settings.data.currency} onDone={() => onOpenChange(false)} />
        ) : (
          <Loader2Icon className="mx-auto animate-spin" aria-label="Loading" />
        )}
      </DialogContent>
    </Dialog>
  )
}

function ProjectForm({ orgId, project, currency, onDone }: { orgId: string; project?: Project; currency: string; onDone: () => void }) {
  const navigate = useNavigate()
  const create = useCreateProject(orgId)
  const update = useUpdateProject(orgId)
  const permissions = useOrgPermissions(orgId)
  const clients = useClientOptions(orgId)
  const templates = useTemplates(orgId, !project)
  const form = useForm<ProjectFormInput, unknown, ProjectFormValues>({
    resolver: zodResolver(projectFormSchema(projectCurrency(currency, project))),
    defaultValues: toFormInput(currency, project),
  })
  const { errors, isSubmitting } = form.formState
  const budgetCurrency = projectCurrency(currency, project)
  const hasClient = Boolean(form.watch('client_id'))

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      if (project) {
        const changes = diffProject(project, values, currency)
        if (Object.keys(changes).length > 0) {
          await update.mutateAsync({ projectId: project.id, body: changes })
          toast.success(`${values.name} updated`)
        }
        onDone()
        return
      }
      const created = await create.mutateAsync(toCreateBody(values, currency))
      toast.success(`${created.name} created`)
      onDone()
      void navigate(`/orgs/${orgId}/projects/${created.id}`)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && project) {
        form.setError('root.server', { message: 'This project no longer exists, or you are no longer on it.' })
        return
      }
      showApiErrorOnForm(error, form.setError, projectFormFields)
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-5">
      <FormAlert message={errors.root?.server?.message} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <FormField label="Name" required error={errors.name?.message}>
            <Input autoFocus autoComplete="off" {...form.register('name')} />
          </FormField>
        </div>
        <FormField label="Client" error={errors.client_id?.message}>
          <NativeSelect {...form.register('client_id')} disabled={!permissions.can('clients.read')}>
            <option value="">No client (internal)</option>
            {(clients.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label="Status" error={errors.status?.message}>
          <NativeSelect {...form.register('status')}>
            {projectStatuses.map((s) => (
              <option key={s} value={s}>
                {projectStatusLabels[s]}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField label="Start date" error={errors.start_date?.message}>
          <Input type="date" {...form.register('start_date')} />
        </FormField>
        <FormField label="Due date" error={errors.due_date?.message}>
          <Input type="date" {...form.register('due_date')} />
        </FormField>
        <FormField label={`Budget (${budgetCurrency})`} error={errors.budget?.amount?.message}>
          <Input inputMode="decimal" autoComplete="off" placeholder={moneyPlaceholder(budgetCurrency)} {...form.register('budget.amount')} />
        </FormField>
        <FormField label="Budget (hours)" error={errors.budget_minutes?.message}>
          <Input inputMode="decimal" autoComplete="off" placeholder="0" {...form.register('budget_minutes')} />
        </FormField>
        <FormField label={`Hourly rate (${budgetCurrency})`} error={errors.hourly_rate?.message}>
          <Input inputMode="decimal" autoComplete="off" placeholder={moneyPlaceholder(budgetCurrency)} {...form.register('hourly_rate')} />
        </FormField>
        {!project && (
          <FormField label="Template" error={errors.template_id?.message} hint="Copies the template's columns and tasks.">
            <NativeSelect {...form.register('template_id')}>
              <option value="">Default board</option>
              {(templates.data?.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </NativeSelect>
          </FormField>
        )}
        <div className="sm:col-span-2">
          <FormField label="Description" error={errors.description?.message}>
            <Textarea rows={3} {...form.register('description')} />
          </FormField>
        </div>
        <fieldset className="grid gap-2 sm:col-span-2">
          <legend className="mb-1 text-sm font-medium">Client portal</legend>
          <PortalSwitch
            label="Show in the client portal"
            hint="The client's contacts see this project, its progress and the files shared with them."
            error={errors.portal_shared?.message}
            {...form.register('portal_shared')}
          />
          <PortalSwitch
            label="Let client contacts comment"
            hint="Contacts may comment on the project's tasks from the portal. Internal comments stay hidden from them."
            error={errors.portal_comments?.message}
            {...form.register('portal_comments')}
          />
          {!hasClient && <p className="text-xs text-muted-foreground">These apply once the project has a client.</p>}
        </fieldset>
      </div>
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

/** A labelled checkbox with a one-line explanation under it. */
function PortalSwitch({ label, hint, error, ...props }: ComponentProps<'input'> & { label: string; hint: string; error?: string }) {
  const id = useId()
  return (
    <div className="grid grid-cols-[auto_1fr] items-start gap-x-2 text-sm">
      <input id={id} type="checkbox" className="mt-0.5 size-4" aria-describedby={`${id}-hint`} aria-invalid={error ? true : undefined} {...props} />
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <p id={`${id}-hint`} className="col-start-2 text-xs text-muted-foreground">
        {hint}
      </p>
      {error && (
        <p role="alert" className="col-start-2 text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  )
}
