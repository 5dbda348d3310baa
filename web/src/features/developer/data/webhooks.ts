import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** An outbound webhook endpoint (never its secret). */
export type WebhookEndpoint = components['schemas']['WebhookEndpoint']
/** An endpoint with its signing secret: answered only by create and rotate-secret, shown once. */
export type WebhookEndpointWithSecret = components['schemas']['WebhookEndpointWithSecret']
/** One delivery of one event to one endpoint. */
export type WebhookDelivery = components['schemas']['WebhookDelivery']
/** A delivery with its request body and every try. */
export type WebhookDeliveryDetail = components['schemas']['WebhookDeliveryDetail']
/** A delivery's status. */
export type WebhookDeliveryStatus = WebhookDelivery['status']

/** The event types an endpoint may subscribe to (domain.WebhookEventTypes), grouped as the form shows them. */
export const webhookEventGroups = [
  { group: 'Projects', events: ['project.created', 'project.updated', 'project.deleted'] },
  { group: 'Tasks', events: ['task.created', 'task.updated', 'task.completed'] },
  { group: 'Clients', events: ['client.created', 'client.updated'] },
  { group: 'Invoices', events: ['invoice.paid', 'invoice.overdue'] },
  { group: 'Team', events: ['team.member_added', 'team.member_removed'] },
] as const

/** Every subscribable event type, in the settings order. */
export const webhookEventTypes: readonly string[] = webhookEventGroups.flatMap((g) => g.events)

/** Deliveries per page of the log. */
export const webhookDeliveriesPageSize = 25

/** What the delivery log is narrowed by. */
export interface WebhookDeliveryFilters {
  status?: WebhookDeliveryStatus
  event?: string
}

/** Query keys: everything about an org's webhooks sits under `all`, so one invalidation refreshes it. */
export const webhookKeys = {
  all: (orgId: string) => ['orgs', orgId, 'webhooks'] as const,
  list: (orgId: string) => [...webhookKeys.all(orgId), 'list'] as const,
  endpoint: (orgId: string, endpointId: string) => [...webhookKeys.all(orgId), 'endpoint', endpointId] as const,
  deliveries: (orgId: string, endpointId: string) => [...webhookKeys.endpoint(orgId, endpointId), 'deliveries'] as const,
  deliveryLog: (orgId: string, endpointId: string, filters: WebhookDeliveryFilters) =>
    [...webhookKeys.deliveries(orgId, endpointId), 'log', filters] as const,
  delivery: (orgId: string, endpointId: string, deliveryId: string) =>
    [...webhookKeys.deliveries(orgId, endpointId), 'one', deliveryId] as const,
}

/** How often a view with a pending delivery looks again: retries are due within seconds. */
const pendingPoll = 2000

/** The organization's endpoints, oldest first, each with its last delivery. */
export function useWebhookEndpoints(orgId: string, enabled = true) {
  return useQuery({
    queryKey: webhookKeys.list(orgId),
    enabled,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/webhooks', { params: { path: { org_id: orgId } }, signal })),
  })
}

/** One endpoint. */
export function useWebhookEndpoint(orgId: string, endpointId: string, enabled = true) {
  return useQuery({
    queryKey: webhookKeys.endpoint(orgId, endpointId),
    enabled,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}', { params: { path: { org_id: orgId, endpoint_id: endpointId } }, signal }),
      ),
  })
}

/** Creates an endpoint; the answer carries the signing secret, which the caller must show now. */
export function useCreateWebhookEndpoint(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: components['schemas']['WebhookEndpointCreate']) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/webhooks', { params: { path: { org_id: orgId } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list(orgId) }),
  })
}

/** Changes an endpoint (only the fields sent); enabling clears why it was disabled. */
export function useUpdateWebhookEndpoint(orgId: string, endpointId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: components['schemas']['WebhookEndpointUpdate']) =>
      unwrap(
        api.PATCH('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}', {
          params: { path: { org_id: orgId, endpoint_id: endpointId } },
          body,
        }),
      ),
    onSuccess: (endpoint) => queryClient.setQueryData(webhookKeys.endpoint(orgId, endpointId), endpoint),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list(orgId) }),
  })
}

/** Deletes an endpoint with its delivery log. */
export function useDeleteWebhookEndpoint(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (endpointId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}', { params: { path: { org_id: orgId, endpoint_id: endpointId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list(orgId) }),
  })
}

/** Rotates the signing secret; the old one keeps signing for graceHours. The answer carries the new secret. */
export function useRotateWebhookSecret(orgId: string, endpointId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (graceHours: number) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}/rotate-secret', {
          params: { path: { org_id: orgId, endpoint_id: endpointId } },
          body: { grace_hours: graceHours },
        }),
      ),
    onSuccess: (created) => queryClient.setQueryData(webhookKeys.endpoint(orgId, endpointId), created.endpoint),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list(orgId) }),
  })
}

/** Sends a signed ping and answers its outcome (one try, up to 15 s). */
export function useSendWebhookTest(orgId: string, endpointId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}/test', { params: { path: { org_id: orgId, endpoint_id: endpointId } } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all(orgId) }),
  })
}

/** The endpoint's delivery log, newest first, a page at a time ("Load more"); polls while a delivery is pending. */
export function useWebhookDeliveries(orgId: string, endpointId: string, filters: WebhookDeliveryFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: webhookKeys.deliveryLog(orgId, endpointId, filters),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}/deliveries', {
          params: {
            path: { org_id: orgId, endpoint_id: endpointId },
            query: { status: filters.status, event: filters.event, cursor: pageParam, limit: webhookDeliveriesPageSize },
          },
          signal,
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.data.some((d) => d.status === 'pending')) ? pendingPoll : false,
  })
}

/** One delivery with its request body and tries; polls while it is pending. */
export function useWebhookDelivery(orgId: string, endpointId: string, deliveryId: string, enabled = true) {
  return useQuery({
    queryKey: webhookKeys.delivery(orgId, endpointId, deliveryId),
    enabled,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}/deliveries/{delivery_id}', {
          params: { path: { org_id: orgId, endpoint_id: endpointId, delivery_id: deliveryId } },
          signal,
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? pendingPoll : false),
  })
}

/** Replays one delivery: a new delivery of the same event (same event id). */
export function useReplayWebhookDelivery(orgId: string, endpointId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay', {
          params: { path: { org_id: orgId, endpoint_id: endpointId, delivery_id: deliveryId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(orgId, endpointId) }),
  })
}

/** Replays every event whose delivery failed since a time; answers how many were replayed. */
export function useReplayFailedWebhookDeliveries(orgId: string, endpointId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (since: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/webhooks/{endpoint_id}/replay', {
          params: { path: { org_id: orgId, endpoint_id: endpointId } },
          body: { status: 'failed', since },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(orgId, endpointId) }),
  })
}

/** The endpoint form's fields (create and edit). */
export const webhookEndpointSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Enter the URL that receives the deliveries')
    .max(2048, 'Use at most 2,048 characters')
    .refine((v) => /^https?:\/\/[^/\s]+/i.test(v), 'Enter a full http(s) URL, e.g. https://example.com/hooks/clientflow'),
  description: z.string().trim().max(500, 'Use at most 500 characters'),
  events: z.array(z.string()).min(1, 'Choose at least one event'),
})

/** What the endpoint form holds. */
export type WebhookEndpointFormValues = z.infer<typeof webhookEndpointSchema>

/** Why an endpoint receives nothing, for its badge. */
export function disabledReasonLabel(reason: WebhookEndpoint['disabled_reason']): string {
  switch (reason) {
    case 'gone':
      return 'Disabled: the receiver answered 410 Gone'
    case 'failing':
      return 'Disabled: failing for 24 hours'
    default:
      return 'Disabled'
  }
}

/** The grace periods offered when rotating a secret, in hours. */
export const webhookGraceOptions = [
  { hours: 0, label: 'None: stop the old secret now' },
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '24 hours' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
] as const

/** A datetime-local input's value ("2026-12-07T09:30", local time) as RFC 3339, or undefined when invalid. */
export function localInputToRFC3339(value: string): string | undefined {
  const date = new Date(value)
  return value === '' || Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/** A date as a datetime-local input's value, in local time. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** The JSON envelope as sent, indented for reading (left as is when it is not JSON). */
export function prettyJSON(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2)
  } catch {
    return raw
  }
}
