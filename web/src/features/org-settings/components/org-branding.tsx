import { useEffect } from 'react'
import { useOrgSettings } from '../data/api'
import { foregroundFor } from '../data/schema'

/**
 * Paints the app in the organization's brand colour: it overrides the theme's --primary (and a readable
 * --primary-foreground) on the document while the organization is open, and exposes it as --brand.
 */
export function OrgBranding({ orgId }: { orgId: string }) {
  const { data } = useOrgSettings(orgId)
  const color = data?.brand_color
  useEffect(() => {
    if (!color) return
    const style = document.documentElement.style
    style.setProperty('--brand', color)
    style.setProperty('--primary', color)
    style.setProperty('--primary-foreground', foregroundFor(color))
    return () => {
      style.removeProperty('--brand')
      style.removeProperty('--primary')
      style.removeProperty('--primary-foreground')
    }
  }, [color])
  return null
}
