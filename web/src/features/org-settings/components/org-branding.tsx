import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { orgSettingsQuery } from '../data/api'
import { useBranding } from '../data/branding'
import { derivePalette, isHexColor, paletteVariables, type Palette } from '../data/palette'

/** A palette from the API with only #rrggbb values, or null (CSS values come from the network). */
function safePalette(p: Palette | undefined): Palette | null {
  if (!p || ![p.brand, p.on_brand, p.brand_text, p.brand_soft].every(isHexColor)) return null
  return p
}

/**
 * Paints the workspace in the organization's brand while it is open: the brand CSS variables (--brand,
 * --on-brand, --brand-text, --brand-soft) and the theme's --primary / --primary-foreground. The server
 * injects the same variables into the page before first paint; this keeps them current after a change in
 * Settings → Branding (whose save refreshes the branding answer) and on switching organizations. Only if the
 * branding answer fails is the palette derived from the settings' brand colour: the settings are not fetched on
 * every page for a fallback the server's own injected palette already covers.
 */
export function OrgBranding({ orgId }: { orgId: string }) {
  const branding = useBranding(orgId)
  const settings = useQuery({ ...orgSettingsQuery(orgId), enabled: branding.isError })
  const fromSettings = settings.data?.brand_color ? derivePalette(settings.data.brand_color) : null
  const palette = safePalette(branding.data?.palette) ?? (branding.isError ? fromSettings : null)
  const key = palette ? Object.values(palette).join() : ''
  useEffect(() => {
    if (!palette) return
    const style = document.documentElement.style
    const variables = { ...paletteVariables(palette), '--primary': palette.brand, '--primary-foreground': palette.on_brand }
    for (const [name, value] of Object.entries(variables)) style.setProperty(name, value)
    return () => {
      for (const name of Object.keys(variables)) style.removeProperty(name)
    }
    // The palette object changes identity on every render; its colours are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return null
}
