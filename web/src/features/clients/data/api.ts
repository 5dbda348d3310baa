import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { ClientCreate, ClientUpdate } from '@/api/types'
import type { ClientStatus } from './schema'

/** Clients per page. */
export const clientsPageSize = 25

/** What the clients list is narrowed by. */
export interface ClientFilters {
  q: string
  status?: ClientStatus
  cursor?: string
}

/** Query keys: everything about an org's clients sits under `all`, so one invalidation refreshes it. */
export const clientKeys = {
  all: (orgId: string) => ['orgs', orgId, 'clients'] as const,
  list: (orgId: string, filters: ClientFilters) => [...clientKeys.all(orgId), 'list', filters] as const,
}

/** A client as pickers and filters show it. */
export interface ClientOption {
  id: string
  name: string
}

/**
 * The organization's clients by name (the first 200) for pickers and filters. Every page that shows them shares
 * this one query, so moving between those pages fetches the list once (and one key never holds two shapes).
 */
export function useClientOptions(orgId: string, enabled = true) {
  return useQuery({
    queryKey: [...clientKeys.all(orgId), 'options'],
    enabled,
    queryFn: ({ signal }): Promise<ClientOption[]> =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/clients', { params: { path: { org_id: orgId }, query: { limit: 200 } }, signal })).then((page) =>
        page.data.map((c) => ({ id: c.id, name: c.name })),
      ),
  })
}

/** One page of an organization's clients, newest first. */
export function useClients(orgId: string, filters: ClientFilters) {
  return useQuery({
    queryKey: clientKeys.list(orgId, filters),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/clients', {
          params: {
            path: { org_id: orgId },
            query: { q: filters.q || undefined, status: filters.status, cursor: filters.cursor, limit: clientsPageSize },
          },
          signal,
        }),
      ),
    // Keep showing the last page while a new search loads, but never another org's clients.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === orgId ? keepPreviousData(previous) : undefined),
  })
}

/** Creates a client; the idempotency key makes a repeated submission a replay, not a duplicate. */
export function useCreateClient(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ClientCreate; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/clients', {
          params: { path: { org_id: orgId } },
          headers: { 'Idempotency-Key': idempotencyKey },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientKeys.all(orgId) }),
  })
}

/** Sends only the changed fields of a client. */
export function useUpdateClient(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ clientId, body }: { clientId: string; body: ClientUpdate }) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/clients/{client_id}', {
          params: { path: { org_id: orgId, client_id: clientId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientKeys.all(orgId) }),
  })
}

/** Deletes a client for good. */
export function useDeleteClient(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (clientId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/clients/{client_id}', { params: { path: { org_id: orgId, client_id: clientId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: clientKeys.all(orgId) }),
  })
}
