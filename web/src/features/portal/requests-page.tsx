import { InboxIcon, Loader2Icon, PlusIcon } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { NativeSelect } from '@/components/ui/native-select'
import { formatDate } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { useCreatePortalRequest, usePortalProjects, usePortalRequests } from './data/api'
import { usePortalScope } from './data/context'
import { requestLimits, validateRequest, type RequestDraft } from './data/request'
import { portalPath, type PortalScope } from './data/scope'
import type { PortalProject } from './data/types'
import { TaskStatus } from './components/parts'
import { EmptyState, PortalError, PortalLoading, PortalPageHeader } from './components/states'

/** /client-portal/:orgId/requests — the contact's requests with their status, and New request. */
export function PortalRequestsPage() {
  useTitle('Requests')
  const scope = usePortalScope()
  const requests = usePortalRequests(scope)
  const projects = usePortalProjects(scope)
  const [open, setOpen] = useState(false)
  const shared = projects.data?.data ?? []
  const projectName = new Map(shared.map((p) => [p.id, p.name]))
  const canRequest = !scope.previewClientId && shared.length > 0

  return (
    <>
      <PortalPageHeader
        title="Requests"
        description="Ask the team for something: a change, a fix, a new piece of work. Follow its status here."
        action={
          <Button onClick={() => setOpen(true)} disabled={!canRequest}>
            <PlusIcon aria-hidden="true" />
            New request
          </Button>
        }
      />
      {scope.previewClientId && <p className="text-sm text-muted-foreground">In the preview, requests can be read but not sent.</p>}
      {!scope.previewClientId && projects.data && shared.length === 0 && (
        <p className="text-sm text-muted-foreground">You can send requests once the team shares a project with you.</p>
      )}
      {requests.isPending ? (
        <PortalLoading what="your requests" />
      ) : requests.isError ? (
        <PortalError what="your requests" error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.data.length === 0 ? (
        <EmptyState icon={InboxIcon} title="No requests yet">
          Send your first request with New request: it goes straight to the team’s board, and you see here when they
          pick it up and finish it.
        </EmptyState>
      ) : (
        <ul className="divide-y rounded-lg border bg-card" aria-label="My requests">
          {requests.data.data.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-3 text-sm">
              <div className="grid min-w-0 flex-1 gap-0.5">
                <Link to={portalPath(scope, `projects/${r.project_id}/tasks/${r.id}`)} className="font-medium break-words underline-offset-4 hover:underline">
                  {r.title}
                </Link>
                <span className="text-xs text-muted-foreground">
                  {[projectName.get(r.project_id), `sent ${formatDate(r.created_at)}`].filter(Boolean).join(' · ')}
                </span>
              </div>
              <span className="sr-only">Status:</span>
              <TaskStatus task={r} />
            </li>
          ))}
        </ul>
      )}
      {canRequest && <NewRequestDialog scope={scope} projects={shared} open={open} onOpenChange={setOpen} />}
    </>
  )
}

const emptyDraft: RequestDraft = { project_id: '', title: '', description: '' }

function NewRequestDialog({
  scope,
  projects,
  open,
  onOpenChange,
}: {
  scope: PortalScope
  projects: PortalProject[]
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const create = useCreatePortalRequest(scope)
  const [draft, setDraft] = useState<RequestDraft>(() => ({ ...emptyDraft, project_id: projects.length === 1 ? projects[0].id : '' }))
  const [files, setFiles] = useState<File[]>([])
  const [errors, setErrors] = useState<Partial<Record<keyof RequestDraft, string>>>({})
  const [formError, setFormError] = useState<string>()

  const set = (field: keyof RequestDraft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }))

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    const found = validateRequest(draft)
    setErrors(found)
    setFormError(undefined)
    if (Object.keys(found).length > 0) return
    try {
      const { failed } = await create.mutateAsync({
        project_id: draft.project_id,
        title: draft.title.trim(),
        description: draft.description.trim(),
        files,
      })
      if (failed.length > 0) {
        toast.warning('Request sent, but some attachments were not', { description: failed.map((f) => `${f.name}: ${f.reason}`).join('\n') })
      } else {
        toast.success('Request sent to the team')
      }
      setDraft({ ...emptyDraft, project_id: projects.length === 1 ? projects[0].id : '' })
      setFiles([])
      onOpenChange(false)
    } catch (e) {
      if (e instanceof ApiError && !e.isServerError) {
        const fields = e.fieldErrors
        setErrors({ project_id: fields.project_id, title: fields.title, description: fields.description })
        setFormError(e.detail)
      }
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New request</DialogTitle>
          <DialogDescription>It becomes a task on the team’s board; you’ll be told when its status changes.</DialogDescription>
        </DialogHeader>
        <form className="grid gap-4" onSubmit={(e) => void onSubmit(e)} noValidate>
          <FormField label="Project" error={errors.project_id} required>
            <NativeSelect value={draft.project_id} onChange={(e) => set('project_id')(e.target.value)}>
              <option value="">Choose a project…</option>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </FormField>
          <FormField label="Title" error={errors.title} required>
            <Input value={draft.title} maxLength={requestLimits.title} onChange={(e) => set('title')(e.target.value)} />
          </FormField>
          <FormField label="Description" error={errors.description} hint="What you need, and by when if it matters.">
            <Textarea rows={5} value={draft.description} maxLength={requestLimits.description} onChange={(e) => set('description')(e.target.value)} />
          </FormField>
          <FormField label="Attachments" hint={files.length > 0 ? files.map((f) => f.name).join(', ') : 'Optional: screenshots, documents.'}>
            <Input type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />
          </FormField>
          {formError && (
            <p role="alert" className="text-sm text-destructive">
              {formError}
            </p>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Send request
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
