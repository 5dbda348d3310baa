import { AlertCircleIcon, Trash2Icon } from 'lucide-react'
import { useState } from 'react'
import { useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { NoAccess } from '@/components/no-access'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { formatDate } from '@/lib/format'
import { NativeSelect } from '@/components/ui/native-select'
import { useTitle } from '@/lib/use-title'
import { SaveAsTemplateDialog } from './components/save-as-template-dialog'
import { useDeleteTemplate, useProjects, useTemplates } from './data/api'
import type { Project, Template } from './data/types'

/** /orgs/:orgId/templates — the organization's project templates; create one from a project, delete one. */
export function TemplatesPage() {
  useTitle('Templates')
  const { orgId = '' } = useParams()
  const permissions = useOrgPermissions(orgId)
  const templates = useTemplates(orgId)
  if (permissions.loaded && !permissions.can('projects.read')) return <NoAccess what="this organization's templates" />
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Templates</h1>
        <p className="text-sm text-muted-foreground">Board columns and tasks new projects can start from.</p>
      </div>
      {permissions.can('projects.write') && <FromProject orgId={orgId} />}
      {templates.isPending ? (
        <Skeleton className="h-24" aria-label="Loading templates" />
      ) : templates.isError ? (
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>Couldn't load templates</AlertTitle>
          <AlertDescription>{templates.error.message}</AlertDescription>
        </Alert>
      ) : templates.data.data.length === 0 ? (
        <p className="rounded-lg border bg-card p-8 text-center text-sm text-muted-foreground">No templates yet. Save a project as a template to reuse its board.</p>
      ) : (
        <ul className="divide-y rounded-lg border bg-card" aria-label="Templates">
          {templates.data.data.map((t) => (
            <TemplateRow key={t.id} orgId={orgId} template={t} canDelete={permissions.can('projects.write')} />
          ))}
        </ul>
      )}
    </div>
  )
}

function TemplateRow({ orgId, template, canDelete }: { orgId: string; template: Template; canDelete: boolean }) {
  const remove = useDeleteTemplate(orgId)
  const onDelete = async () => {
    try {
      await remove.mutateAsync(template.id)
      toast.success(`Template ${template.name} deleted`)
    } catch (error) {
      toast.error(error instanceof ApiError ? error.detail : 'Something went wrong.')
    }
  }
  const tasks = template.body.tasks?.length ?? 0
  return (
    <li className="flex items-center justify-between gap-3 px-4 py-3">
      <div className="grid">
        <span className="text-sm font-medium">{template.name}</span>
        <span className="text-xs text-muted-foreground">
          {template.body.columns.map((c) => c.name).join(' → ')} · {tasks} {tasks === 1 ? 'task' : 'tasks'} · {formatDate(template.created_at)}
        </span>
      </div>
      {canDelete && (
        <Button variant="ghost" size="sm" aria-label={`Delete template ${template.name}`} disabled={remove.isPending} onClick={() => void onDelete()}>
          <Trash2Icon aria-hidden="true" />
          Delete
        </Button>
      )}
    </li>
  )
}

function FromProject({ orgId }: { orgId: string }) {
  const projects = useProjects(orgId, { q: '', archived: false })
  const [chosen, setChosen] = useState<Project | undefined>()
  const [open, setOpen] = useState(false)
  const list = projects.data?.data ?? []
  return (
    <div className="flex flex-wrap items-center gap-2">
      <NativeSelect
        aria-label="Project to save as a template"
        className="sm:w-72"
        value={chosen?.id ?? ''}
        onChange={(e) => setChosen(list.find((p) => p.id === e.target.value))}
      >
        <option value="">Choose a project…</option>
        {list.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </NativeSelect>
      <Button variant="outline" disabled={!chosen} onClick={() => setOpen(true)}>
        Create from project
      </Button>
      {chosen && <SaveAsTemplateDialog key={chosen.id} orgId={orgId} project={chosen} open={open} onOpenChange={setOpen} />}
    </div>
  )
}
