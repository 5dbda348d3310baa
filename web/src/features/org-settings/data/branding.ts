import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { OrganizationSettings } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'
import { requestJson } from '@/features/clients/data/request'
import { orgSettingsQuery } from './api'
import type { Palette } from './palette'

/** How an organization presents itself to its clients (GET /orgs/{org_id}/branding, any member). */
export interface Branding {
  name: string
  sender_name: string
  /** Public absolute URL of the uploaded logo, or "" (also when the plan lacks custom_branding). */
  logo_url: string
  brand_color: string
  palette: Palette
  /** Whether the plan includes custom_branding; without it the palette is ClientFlow's. */
  custom_branding: boolean
}

/** Settings with the white-label fields (sender_name; logo_url read-only, served by the API). */
export type BrandedSettings = OrganizationSettings & { sender_name?: string }

/** Body of the branding part of PATCH /orgs/{org_id}/settings. */
export interface BrandingUpdate {
  brand_color?: string
  sender_name?: string
}

/** Logo uploads the API accepts. */
export const logoTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'] as const

/** The largest logo the API accepts: 1 MiB. */
export const maxLogoBytes = 1 << 20

/** Why a picked file cannot be a logo, or null when it may be uploaded (the server checks the content again). */
export function logoProblem(file: { type: string; size: number }): string | null {
  if (!(logoTypes as readonly string[]).includes(file.type)) return 'Use a PNG, JPEG, WebP or SVG image.'
  if (file.size > maxLogoBytes) return 'Use an image of at most 1 MB.'
  if (file.size === 0) return 'That file is empty.'
  return null
}

/** Query key of the branding answer (shared with the client portal, which paints from it). */
export const brandingKey = (orgId: string) => ['orgs', orgId, 'branding'] as const

/** The organization's branding: name, sender name, logo and accessible palette. */
export function useBranding(orgId: string, enabled = true) {
  return useQuery({
    queryKey: brandingKey(orgId),
    queryFn: ({ signal }) => requestJson<Branding>('GET', `/api/v1/orgs/${orgId}/branding`, { signal }),
    enabled: enabled && orgId !== '',
    staleTime: 60_000,
  })
}

/** After a branding change: the new settings, and a fresh branding answer so the page repaints at once. */
function useOnBrandingSaved(orgId: string) {
  const queryClient = useQueryClient()
  return async (settings: BrandedSettings) => {
    queryClient.setQueryData(orgSettingsQuery(orgId).queryKey, settings)
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: brandingKey(orgId) }),
      queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
    ])
  }
}

/** Uploads (or replaces) the logo. */
export function useUploadLogo(orgId: string) {
  const onSaved = useOnBrandingSaved(orgId)
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData()
      form.append('file', file)
      return requestJson<BrandedSettings>('POST', `/api/v1/orgs/${orgId}/settings/logo`, { body: form })
    },
    onSuccess: onSaved,
  })
}

/** Removes the logo. */
export function useRemoveLogo(orgId: string) {
  const onSaved = useOnBrandingSaved(orgId)
  return useMutation({
    mutationFn: () => requestJson<BrandedSettings>('DELETE', `/api/v1/orgs/${orgId}/settings/logo`),
    onSuccess: onSaved,
  })
}

/** Saves the brand colour and sender name. */
export function useUpdateBranding(orgId: string) {
  const onSaved = useOnBrandingSaved(orgId)
  return useMutation({
    mutationFn: (body: BrandingUpdate) => requestJson<BrandedSettings>('PATCH', `/api/v1/orgs/${orgId}/settings`, { body }),
    onSuccess: onSaved,
  })
}
