import { describe, expect, it } from 'vitest'
import { avatarColor, avatarPalette } from './avatar'

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

const ids = Array.from({ length: 400 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)

describe('avatarColor', () => {
  it('gives one user id the same colour every time', () => {
    expect(avatarColor(ids[7])).toBe(avatarColor(ids[7]))
    expect(avatarColor('')).toBe(avatarColor(''))
  })

  it('picks from the palette', () => {
    for (const id of ids) expect(avatarPalette).toContain(avatarColor(id))
  })

  it('spreads ids over the whole palette, none taking much more than its share', () => {
    const counts = new Map<string, number>()
    for (const id of ids) counts.set(avatarColor(id), (counts.get(avatarColor(id)) ?? 0) + 1)
    expect(counts.size).toBe(avatarPalette.length)
    for (const n of counts.values()) expect(n).toBeLessThan((ids.length / avatarPalette.length) * 2)
  })

  it('tells apart ids that differ in one character', () => {
    expect(avatarColor('9f3c2a10-0000-4000-8000-000000000001')).not.toBe(avatarColor('9f3c2a10-0000-4000-8000-000000000002'))
  })

  it('keeps white initials at 4.5:1 or more on every colour', () => {
    for (const colour of avatarPalette) {
      const contrast = (1 + 0.05) / (luminance(colour) + 0.05)
      expect(contrast, colour).toBeGreaterThanOrEqual(4.5)
    }
  })
})
