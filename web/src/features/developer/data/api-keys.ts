import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { teamKeys } from '@/features/team/data/api'

/** An organization's API key as the API shows it (never the key itself). */
export type ApiKey = components['schemas']['APIKey']
/** A new key with the full key, shown once. */
export type ApiKeyCreated = components['schemas']['APIKeyCreated']

/** Query keys: one organization's keys. */
export const apiKeyKeys = {
  all: (orgId: string) => ['orgs', orgId, 'api-keys'] as const,
}

/** The organization's keys, newest first (one page of 200: an organization has a handful). */
export function useApiKeys(orgId: string, enabled = true) {
  return useQuery({
    queryKey: apiKeyKeys.all(orgId),
    enabled,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/api-keys', { params: { path: { org_id: orgId }, query: { limit: 200 } }, signal })),
  })
}

/**
 * The permission catalogue with descriptions, for labelling scopes. It is served by the roles route, so only
 * a member who may manage roles gets it; everyone else sees the permission keys themselves.
 */
export function usePermissionCatalogue(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: teamKeys.roles(orgId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/roles', { params: { path: { org_id: orgId } }, signal })),
    enabled,
    select: (catalogue) => catalogue.permissions,
  })
}

/** Creates a key; the answer carries the full key, which the caller must show now. */
export function useCreateApiKey(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: components['schemas']['APIKeyCreate']) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/api-keys', { params: { path: { org_id: orgId } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(orgId) }),
  })
}

/** Revokes a key: it stops working with the next request. */
export function useRevokeApiKey(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/api-keys/{key_id}/revoke', { params: { path: { org_id: orgId, key_id: keyId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(orgId) }),
  })
}

/** Deletes a key for good. */
export function useDeleteApiKey(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/api-keys/{key_id}', { params: { path: { org_id: orgId, key_id: keyId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.all(orgId) }),
  })
}

/** The lifetimes a key can be created with, as the API names them. */
export const apiKeyExpiries = [
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const

/** The create dialog's fields: `limitScopes` off sends no scopes (all of the creator's permissions). */
export const apiKeySchema = z
  .object({
    name: z.string().trim().min(1, 'Name the key').max(100, 'Use at most 100 characters'),
    expiresIn: z.enum(['30d', '90d', '365d', 'never']),
    limitScopes: z.boolean(),
    scopes: z.array(z.string()),
  })
  .refine((v) => !v.limitScopes || v.scopes.length > 0, { path: ['scopes'], message: 'Choose at least one permission' })

/** What the create form holds. */
export type ApiKeyFormValues = z.infer<typeof apiKeySchema>

/** The request body for the form's values. */
export function apiKeyCreateBody(values: ApiKeyFormValues): components['schemas']['APIKeyCreate'] {
  return { name: values.name, expires_in: values.expiresIn, scopes: values.limitScopes ? values.scopes : undefined }
}

/** "cf_live_1a2B…wxyz": how a key is recognised after creation. */
export function apiKeyHint(key: Pick<ApiKey, 'prefix' | 'last_four'>): string {
  return `${key.prefix}…${key.last_four}`
}

/** Groups permission keys for the scope checkboxes: by the catalogue's group when known, else by prefix. */
export function scopeGroups(
  held: readonly string[],
  catalogue: readonly { key: string; group: string; description: string }[] | undefined,
): { group: string; items: { key: string; label: string }[] }[] {
  const byKey = new Map(catalogue?.map((p) => [p.key, p]))
  const ordered = catalogue ? catalogue.filter((p) => held.includes(p.key)).map((p) => p.key) : [...held]
  const groups: { group: string; items: { key: string; label: string }[] }[] = []
  for (const key of ordered) {
    const info = byKey.get(key)
    const prefix = key.split('.')[0] ?? key
    const group = info?.group ?? prefix.charAt(0).toUpperCase() + prefix.slice(1).replace(/_/g, ' ')
    const item = { key, label: info ? `${info.description} (${key})` : key }
    const last = groups.at(-1)
    if (last?.group === group) last.items.push(item)
    else groups.push({ group, items: [item] })
  }
  return groups
}
