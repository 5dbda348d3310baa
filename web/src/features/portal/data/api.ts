import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { networkError, parseProblem } from '@/api/errors'
import { portalApiUrl, type PortalScope } from './scope'
import type { PortalFile, PortalRequestCreate, PortalTask } from './types'

/** The path and query parameters every portal call carries: the organization, and the previewed client. */
function params(scope: PortalScope) {
  return { path: { org_id: scope.orgId }, query: scope.previewClientId ? { client_id: scope.previewClientId } : {} }
}

/** Uploads `file` as multipart/form-data (openapi-fetch would serialise the body as JSON). */
async function upload(url: string, file: File): Promise<PortalFile> {
  const form = new FormData()
  form.append('file', file)
  let response: Response
  try {
    response = await fetch(url, { method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json, application/problem+json' } })
  } catch (cause) {
    throw networkError(cause)
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) throw parseProblem(response.status, body, response.headers)
  return body as PortalFile
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
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/portal', { params: params(scope), signal })),
  })
}

/** The client's projects shared with the portal. */
export function usePortalProjects(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.projects(scope),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/portal/projects', { params: params(scope), signal })),
  })
}

/** One shared project with its milestones (columns). */
export function usePortalProject(scope: PortalScope, projectId: string) {
  return useQuery({
    queryKey: portalKeys.project(scope, projectId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/portal/projects/{project_id}', {
          params: { ...params(scope), path: { org_id: scope.orgId, project_id: projectId } },
          signal,
        }),
      ),
  })
}

/** The portal-visible tasks of a shared project. */
export function usePortalTasks(scope: PortalScope, projectId: string) {
  return useQuery({
    queryKey: portalKeys.tasks(scope, projectId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/portal/projects/{project_id}/tasks', {
          params: { ...params(scope), path: { org_id: scope.orgId, project_id: projectId } },
          signal,
        }),
      ),
  })
}

/** One task with description, comments (never internal ones) and attachments. */
export function usePortalTask(scope: PortalScope, projectId: string, taskId: string) {
  return useQuery({
    queryKey: portalKeys.task(scope, projectId, taskId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/portal/projects/{project_id}/tasks/{task_id}', {
          params: { ...params(scope), path: { org_id: scope.orgId, project_id: projectId, task_id: taskId } },
          signal,
        }),
      ),
  })
}

/** Comments on a task as the contact (plain text). */
export function useAddPortalComment(scope: PortalScope, projectId: string, taskId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/portal/projects/{project_id}/tasks/{task_id}/comments', {
          params: { ...params(scope), path: { org_id: scope.orgId, project_id: projectId, task_id: taskId } },
          body: { body },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.task(scope, projectId, taskId) }),
  })
}

/** The files shared with the client, optionally of one project. */
export function usePortalFiles(scope: PortalScope, projectId?: string) {
  return useQuery({
    queryKey: portalKeys.files(scope, projectId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/portal/files', {
          params: { ...params(scope), query: { ...params(scope).query, ...(projectId ? { project_id: projectId } : {}) } },
          signal,
        }),
      ),
  })
}

/** The client's sent, overdue and paid invoices. */
export function usePortalInvoices(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.invoices(scope),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/portal/invoices', { params: params(scope), signal })),
  })
}

/** The contact's own requests, newest first. */
export function usePortalRequests(scope: PortalScope) {
  return useQuery({
    queryKey: portalKeys.requests(scope),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/portal/requests', { params: params(scope), signal })),
  })
}

/** Submits a request, then uploads its attachments one by one; resolves to the task and the files that failed. */
export function useCreatePortalRequest(scope: PortalScope) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ files, ...body }: PortalRequestCreate & { files: File[] }) => {
      const task: PortalTask = await unwrap(api.POST('/api/v1/orgs/{org_id}/portal/requests', { params: params(scope), body }))
      const failed: { name: string; reason: string }[] = []
      for (const file of files) {
        try {
          await upload(portalApiUrl(scope, `/requests/${encodeURIComponent(task.id)}/attachments`), file)
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
