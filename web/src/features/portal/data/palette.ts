import type { CSSProperties } from 'react'
import type { Branding } from './types'

/** A colour the server sends: #rgb or #rrggbb only, so a value can never break out of a CSS declaration. */
export function safeColor(value: string | undefined): string | undefined {
  return value && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : undefined
}

/** The brand CSS variables of a branding answer (only valid colours), e.g. { '--brand': '#0f766e', … }. */
export function brandVariables(branding: Branding | undefined): Record<string, string> {
  const palette = branding?.palette
  const vars: Record<string, string> = {}
  const pairs: [string, string | undefined][] = [
    ['--brand', palette?.brand ?? branding?.brand_color],
    ['--on-brand', palette?.on_brand],
    ['--brand-text', palette?.brand_text],
    ['--brand-soft', palette?.brand_soft],
  ]
  for (const [name, value] of pairs) {
    const color = safeColor(value)
    if (color) vars[name] = color
  }
  return vars
}

/**
 * The portal's theme: the primary colour follows the brand variables (which the server injects before first
 * paint, and the branding answer refreshes), falling back to the default theme when they are missing.
 */
export const portalTheme = {
  '--primary': 'var(--brand, oklch(0.51 0.23 277))',
  '--primary-foreground': 'var(--on-brand, oklch(0.98 0 0))',
  '--ring': 'var(--brand, oklch(0.51 0.23 277))',
  '--accent': 'var(--brand-soft, oklch(0.955 0.01 277))',
  '--accent-foreground': 'var(--brand-text, oklch(0.21 0.02 265))',
} as CSSProperties
