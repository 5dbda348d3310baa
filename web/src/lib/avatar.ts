/**
 * Avatar backgrounds: sixteen hues, each dark enough for white initials at ≥ 4.5:1 (checked in
 * avatar.test.ts), so two people with the same initials still look different.
 */
export const avatarPalette = [
  '#b91c1c', // red
  '#c2410c', // orange
  '#a16207', // amber
  '#4d7c0f', // lime
  '#15803d', // green
  '#047857', // emerald
  '#0f766e', // teal
  '#0e7490', // cyan
  '#0369a1', // sky
  '#1d4ed8', // blue
  '#4338ca', // indigo
  '#6d28d9', // violet
  '#7e22ce', // purple
  '#a21caf', // fuchsia
  '#be185d', // pink
  '#475569', // slate
] as const

/** The avatar background of a person: always the same for one user id (FNV-1a hash into the palette). */
export function avatarColor(id: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return avatarPalette[(hash >>> 0) % avatarPalette.length]
}
