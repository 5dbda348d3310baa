import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import type { OrganizationSettings, OrganizationSettingsUpdate } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'
import { orgSettingsQuery } from './api'

/** How an organization presents itself to its clients (GET /orgs/{org_id}/branding, any member). */
export type Branding = components['schemas']['Branding']

/** Body of the branding part of PATCH /orgs/{org_id}/settings. */
export type BrandingUpdate = Pick<OrganizationSettingsUpdate, 'brand_color' | 'sender_name'>

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
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/branding', { params: { path: { org_id: orgId } }, signal })),
    enabled: enabled && orgId !== '',
    staleTime: 60_000,
  })
}

/** After a branding change: the new settings, and a fresh branding answer so the page repaints at once. */
function useOnBrandingSaved(orgId: string) {
  const queryClient = useQueryClient()
  return async (settings: OrganizationSettings) => {
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
    mutationFn: (file: File) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/settings/logo', {
          params: { path: { org_id: orgId } },
          // The generated type says string for the binary part; the browser sends the File as multipart.
          body: { file: file as unknown as string },
          bodySerializer: (body) => {
            const form = new FormData()
            form.append('file', body.file as unknown as Blob)
            return form
          },
        }),
      ),
    onSuccess: onSaved,
  })
}

/** Removes the logo. */
export function useRemoveLogo(orgId: string) {
  const onSaved = useOnBrandingSaved(orgId)
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/orgs/{org_id}/settings/logo', { params: { path: { org_id: orgId } } })),
    onSuccess: onSaved,
  })
}

/** Saves the brand colour and sender name. */
export function useUpdateBranding(orgId: string) {
  const onSaved = useOnBrandingSaved(orgId)
  return useMutation({
    mutationFn: (body: BrandingUpdate) => unwrap(api.PATCH('/api/v1/orgs/{org_id}/settings', { params: { path: { org_id: orgId } }, body })),
    onSuccess: onSaved,
  })
}
