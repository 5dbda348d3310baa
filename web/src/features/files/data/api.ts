import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { networkError, parseProblem } from '@/api/errors'
import type { components } from '@/api/schema'

/** An uploaded file of a project, attached to a task when task_id is set; shared_with_client shows it in the portal. */
export type ProjectFile = components['schemas']['File']

/** Query keys: a project's files and each task's attachments sit under `all`. */
export const fileKeys = {
  all: (orgId: string, projectId: string) => ['orgs', orgId, 'projects', projectId, 'files'] as const,
  list: (orgId: string, projectId: string, taskId?: string) => [...fileKeys.all(orgId, projectId), taskId ?? 'project'] as const,
}

/** A project's files, or only a task's attachments when taskId is given; newest first. */
export function useFiles(orgId: string, projectId: string, taskId?: string) {
  return useQuery({
    queryKey: fileKeys.list(orgId, projectId, taskId),
    queryFn: ({ signal }) =>
      unwrap(
        taskId
          ? api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/files', {
              params: { path: { org_id: orgId, project_id: projectId, task_id: taskId } },
              signal,
            })
          : api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/files', { params: { path: { org_id: orgId, project_id: projectId } }, signal }),
      ),
  })
}

/**
 * Uploads one file with XMLHttpRequest (fetch reports no upload progress), calling onProgress with 0–1,
 * and resolves to the stored file or rejects with the API's problem.
 */
export function uploadFile(
  orgId: string,
  projectId: string,
  file: File,
  taskId: string | undefined,
  onProgress: (p: number) => void,
  sharedWithClient = false,
) {
  return new Promise<ProjectFile>((resolve, reject) => {
    const form = new FormData()
    if (taskId) form.append('task_id', taskId)
    if (sharedWithClient) form.append('shared_with_client', 'true')
    form.append('file', file)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/api/v1/orgs/${orgId}/projects/${projectId}/files`)
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onload = () => {
      let body: unknown = xhr.responseText
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // A non-JSON answer (a proxy's error page) is kept as text for the problem.
      }
      if (xhr.status === 201) resolve(body as ProjectFile)
      else reject(parseProblem(xhr.status, body))
    }
    xhr.onerror = () => reject(networkError(new Error('upload failed')))
    xhr.send(form)
  })
}

/** Uploads a file with progress and refreshes the project's file lists. */
export function useUploadFile(orgId: string, projectId: string, taskId?: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ file, onProgress, sharedWithClient }: { file: File; onProgress: (p: number) => void; sharedWithClient?: boolean }) =>
      uploadFile(orgId, projectId, file, taskId, onProgress, sharedWithClient),
    onSettled: () => queryClient.invalidateQueries({ queryKey: fileKeys.all(orgId, projectId) }),
  })
}

/** Asks for a short-lived signed download URL. */
export function fileDownloadURL(orgId: string, projectId: string, fileId: string) {
  return unwrap(
    api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/files/{file_id}/url', {
      params: { path: { org_id: orgId, project_id: projectId, file_id: fileId } },
    }),
  )
}

/** Shares a file with the project's client (it appears in their portal and the contacts get an email) or stops sharing it. */
export function useShareFile(orgId: string, projectId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ fileId, shared }: { fileId: string; shared: boolean }) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}/files/{file_id}', {
          params: { path: { org_id: orgId, project_id: projectId, file_id: fileId } },
          body: { shared_with_client: shared },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: fileKeys.all(orgId, projectId) }),
  })
}

/** Deletes a file for good. */
export function useDeleteFile(orgId: string, projectId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (fileId: string) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}/files/{file_id}', {
          params: { path: { org_id: orgId, project_id: projectId, file_id: fileId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: fileKeys.all(orgId, projectId) }),
  })
}

/** A byte count for people: 1.2 MB, 340 KB, 12 B. */
export function formatBytes(n: number) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`
  return `${n} B`
}
