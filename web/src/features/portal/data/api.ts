import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { networkError, parseProblem } from '@/api/errors'
import { portalApiUrl, type PortalScope } from './scope'
import type {
  Branding,
  ListOf,
  PortalComment,
  PortalFile,
  PortalInvoice,
  PortalProject,
  PortalProjectDetail,
  PortalRequestCreate,
  PortalSummary,
  PortalTask,
  PortalTaskDetail,
} from './types'

/** Calls the API with the session cookie; resolves to the JSON body or throws an ApiError. */
async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(url, {
      credentials: 'same-origin',
      ...init,
      headers: { Accept: 'application/json, application/problem+json', ...init.headers },
    })
  } catch (cause) {
    throw networkError(cause)
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // Not JSON (a proxy's error page): parseProblem quotes short text.
  }
  if (!response.ok) throw parseProblem(response.status, body, response.headers)
  return body as T
}

/** Sends `body` as JSON. */
function postJSON<T>(url: string, body: unknown): Promise<T> {
  return request<T>(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
}

/** Query keys: everything of one portal (organization + previewed client) shares a prefix. */
export const portalKeys = {
  all: (scope: PortalScope) => ['orgs', scope.orgId, 'portal', scope.previewClientId ?? 'me'] as const,
  summary: (scope: PortalScope) => [...portalKeys.all(scope), 'summary'] as const,
  projects: (scope: PortalScope) => [...portalKeys.all(scope), 'projects'] as const,
  project: (scope: PortalScope, projectId: string) => [...portalKeys.projects(scope), projectId] as const,
  tasks: (scope: PortalScope, projectId: string) => [...portalKeys.project(scope, projectId), 'tasks'] as const,
  task: (scope: PortalScope, projectId: string, taskId: string) => [...portalKeys.tasks(scope, projectId), taskId] as const,
  files: (scope: PortalScope, projectId?: string) => [...portalKeys.all(scope), 'files', projectId ?? 'all'] as const,
  invoices: (scope: PortalScope) => [...portalKeys.all(scope), 'invoices'] as const,
  requests: (scope: PortalScope) => [...portalKeys.all(scope), 'requests'] as const,
}

/** The summary: client, active projects, due dates, recent files, open invoices and totals due. */
export function usePortalSummary(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.summary(scope),
    queryFn: ({ signal }) => request<PortalSummary>(portalApiUrl(scope, ''), { signal }),
  })
}

/** The client's projects shared with the portal. */
export function usePortalProjects(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.projects(scope),
    queryFn: ({ signal }) => request<ListOf<PortalProject>>(portalApiUrl(scope, '/projects'), { signal }),
  })
}

/** One shared project with its milestones (columns). */
export function usePortalProject(scope: PortalScope, projectId: string) {
  return useQuery({
    queryKey: portalKeys.project(scope, projectId),
    queryFn: ({ signal }) => request<PortalProjectDetail>(portalApiUrl(scope, `/projects/${encodeURIComponent(projectId)}`), { signal }),
  })
}

/** The portal-visible tasks of a shared project. */
export function usePortalTasks(scope: PortalScope, projectId: string) {
  return useQuery({
    queryKey: portalKeys.tasks(scope, projectId),
    queryFn: ({ signal }) =>
      request<ListOf<PortalTask>>(portalApiUrl(scope, `/projects/${encodeURIComponent(projectId)}/tasks`), { signal }),
  })
}

/** One task with description, comments (never internal ones) and attachments. */
export function usePortalTask(scope: PortalScope, projectId: string, taskId: string) {
  return useQuery({
    queryKey: portalKeys.task(scope, projectId, taskId),
    queryFn: ({ signal }) =>
      request<PortalTaskDetail>(
        portalApiUrl(scope, `/projects/${encodeURIComponent(projectId)}/tasks/${encodeURIComponent(taskId)}`),
        { signal },
      ),
  })
}

/** Comments on a task as the contact (plain text). */
export function useAddPortalComment(scope: PortalScope, projectId: string, taskId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: string) =>
      postJSON<PortalComment>(
        portalApiUrl(scope, `/projects/${encodeURIComponent(projectId)}/tasks/${encodeURIComponent(taskId)}/comments`),
        { body },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.task(scope, projectId, taskId) }),
  })
}

/** The files shared with the client, optionally of one project. */
export function usePortalFiles(scope: PortalScope, projectId?: string) {
  return useQuery({
    queryKey: portalKeys.files(scope, projectId),
    queryFn: ({ signal }) => request<ListOf<PortalFile>>(portalApiUrl(scope, '/files', { project_id: projectId }), { signal }),
  })
}

/** The client's sent, overdue and paid invoices. */
export function usePortalInvoices(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.invoices(scope),
    queryFn: ({ signal }) => request<ListOf<PortalInvoice>>(portalApiUrl(scope, '/invoices'), { signal }),
  })
}

/** The contact's own requests, newest first. */
export function usePortalRequests(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.requests(scope),
    queryFn: ({ signal }) => request<ListOf<PortalTask>>(portalApiUrl(scope, '/requests'), { signal }),
  })
}

/** Submits a request, then uploads its attachments one by one; resolves to the task and the files that failed. */
export function useCreatePortalRequest(scope: PortalScope) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ files, ...body }: PortalRequestCreate & { files: File[] }) => {
      const task = await postJSON<PortalTask>(portalApiUrl(scope, '/requests'), body)
      const failed: { name: string; reason: string }[] = []
      for (const file of files) {
        const form = new FormData()
        form.append('file', file)
        try {
          await request<PortalFile>(portalApiUrl(scope, `/requests/${encodeURIComponent(task.id)}/attachments`), {
            method: 'POST',
            body: form,
          })
        } catch (error) {
          failed.push({ name: file.name, reason: error instanceof Error ? error.message : 'upload failed' })
        }
      }
      return { task, failed }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.all(scope) }),
  })
}

/** The download URL of a shared file (the session cookie authorises it). */
export function portalFileUrl(scope: PortalScope, fileId: string): string {
  return portalApiUrl(scope, `/files/${encodeURIComponent(fileId)}/download`)
}

/** The PDF of an invoice. */
export function portalInvoicePdfUrl(scope: PortalScope, invoiceId: string): string {
  return portalApiUrl(scope, `/invoices/${encodeURIComponent(invoiceId)}/pdf`)
}

/** The organization's name, logo and palette. */
export function useBranding(orgId: string) {
  return useQuery({
    queryKey: ['orgs', orgId, 'branding'],
    queryFn: ({ signal }) => request<Branding>(`/api/v1/orgs/${encodeURIComponent(orgId)}/branding`, { signal }),
    staleTime: 5 * 60_000,
  })
}
