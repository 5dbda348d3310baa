import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { ProjectCreate, ProjectUpdate } from './types'
import type { ProjectStatus } from './schema'

/** Projects per page. */
export const projectsPageSize = 25

/** What the project list is narrowed by (all of it lives in the URL). */
export interface ProjectFilters {
  q: string
  status?: ProjectStatus
  clientId?: string
  archived: boolean
  cursor?: string
}

/** Query keys: an org's projects, templates and activity sit under `all`, so one invalidation refreshes them. */
export const projectKeys = {
  all: (orgId: string) => ['orgs', orgId, 'projects'] as const,
  list: (orgId: string, filters: ProjectFilters) => [...projectKeys.all(orgId), 'list', filters] as const,
  one: (orgId: string, projectId: string) => [...projectKeys.all(orgId), 'one', projectId] as const,
  members: (orgId: string, projectId: string) => [...projectKeys.all(orgId), 'members', projectId] as const,
  templates: (orgId: string) => [...projectKeys.all(orgId), 'templates'] as const,
  activity: (orgId: string, projectId?: string) => [...projectKeys.all(orgId), 'activity', projectId ?? ''] as const,
  client: (orgId: string, clientId: string) => [...projectKeys.all(orgId), 'client', clientId] as const,
}

/** One page of the projects the user can see, newest first. */
export function useProjects(orgId: string, filters: ProjectFilters) {
  return useQuery({
    queryKey: projectKeys.list(orgId, filters),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects', {
          params: {
            path: { org_id: orgId },
            query: {
              q: filters.q || undefined,
              status: filters.status,
              client_id: filters.clientId,
              archived: filters.archived || undefined,
              cursor: filters.cursor,
              limit: projectsPageSize,
            },
          },
          signal,
        }),
      ),
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === orgId ? keepPreviousData(previous) : undefined),
  })
}

/** One project. */
export function useProject(orgId: string, projectId: string) {
  return useQuery(projectQuery(orgId, projectId))
}

/** The project query's options, for reading its cache elsewhere (with enabled: false) under the same fetcher. */
export function projectQuery(orgId: string, projectId: string) {
  return queryOptions({
    queryKey: projectKeys.one(orgId, projectId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/projects/{project_id}', { params: { path: { org_id: orgId, project_id: projectId } }, signal })),
  })
}

function useInvalidateProjects(orgId: string) {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: projectKeys.all(orgId) })
}

/** Creates a project (optionally from a template). */
export function useCreateProject(orgId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: (body: ProjectCreate) => unwrap(api.POST('/api/v1/orgs/{org_id}/projects', { params: { path: { org_id: orgId } }, body })),
    onSuccess: invalidate,
  })
}

/** Sends only the changed fields of a project. */
export function useUpdateProject(orgId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: ({ projectId, body }: { projectId: string; body: ProjectUpdate }) =>
      unwrap(api.PATCH('/api/v1/orgs/{org_id}/projects/{project_id}', { params: { path: { org_id: orgId, project_id: projectId } }, body })),
    onSuccess: invalidate,
  })
}

/** Archives (archived = true) or restores a project. */
export function useArchiveProject(orgId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: ({ projectId, archived }: { projectId: string; archived: boolean }) => {
      const params = { params: { path: { org_id: orgId, project_id: projectId } } }
      return archived
        ? unwrap(api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/archive', params))
        : unwrap(api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/unarchive', params))
    },
    onSuccess: invalidate,
  })
}

/** Deletes a project with everything in it. */
export function useDeleteProject(orgId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: (projectId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}', { params: { path: { org_id: orgId, project_id: projectId } } })),
    onSettled: invalidate,
  })
}

/** The members of a project. */
export function useProjectMembers(orgId: string, projectId: string) {
  return useQuery({
    queryKey: projectKeys.members(orgId, projectId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/members', { params: { path: { org_id: orgId, project_id: projectId } }, signal }),
      ),
  })
}

/** Adds (add = true) or removes someone on a project. */
export function useChangeProjectMember(orgId: string, projectId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: ({ userId, add }: { userId: string; add: boolean }) =>
      add
        ? unwrap(
            api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/members', {
              params: { path: { org_id: orgId, project_id: projectId } },
              body: { user_id: userId },
            }),
          )
        : unwrap(
            api.DELETE('/api/v1/orgs/{org_id}/projects/{project_id}/members/{user_id}', {
              params: { path: { org_id: orgId, project_id: projectId, user_id: userId } },
            }),
          ),
    onSettled: invalidate,
  })
}

/** Every template of the organization. */
export function useTemplates(orgId: string, enabled = true) {
  return useQuery({
    queryKey: projectKeys.templates(orgId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/templates', { params: { path: { org_id: orgId } }, signal })),
    enabled,
  })
}

/** Captures a project's columns and tasks as a new template. */
export function useSaveAsTemplate(orgId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: ({ projectId, name }: { projectId: string; name: string }) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/projects/{project_id}/save-as-template', {
          params: { path: { org_id: orgId, project_id: projectId } },
          body: { name },
        }),
      ),
    onSuccess: invalidate,
  })
}

/** Deletes a template; projects made from it keep their boards. */
export function useDeleteTemplate(orgId: string) {
  const invalidate = useInvalidateProjects(orgId)
  return useMutation({
    mutationFn: (templateId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/templates/{template_id}', { params: { path: { org_id: orgId, template_id: templateId } } })),
    onSettled: invalidate,
  })
}

/** The newest activity, optionally of one project. */
export function useActivity(orgId: string, projectId?: string, cursor?: string, filters: ActivityFilters = {}) {
  return useQuery({
    queryKey: [...projectKeys.activity(orgId, projectId), cursor ?? '', filters],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/activity', {
          params: { path: { org_id: orgId }, query: { ...filters, project_id: projectId ?? filters.project_id, cursor, limit: 50 } },
          signal,
        }),
      ),
  })
}

/** What the activity feed is narrowed by (the API's query parameters; the page keeps them in the URL). */
export interface ActivityFilters {
  from?: string
  to?: string
  type?: string
  entity_type?: string
  project_id?: string
  client_id?: string
  actor_id?: string
  q?: string
}

/** A client with its visible projects and recent activity. */
export function useClientOverview(orgId: string, clientId: string) {
  return useQuery({
    queryKey: projectKeys.client(orgId, clientId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/clients/{client_id}/overview', { params: { path: { org_id: orgId, client_id: clientId } }, signal }),
      ),
  })
}
