/** ClientFlow's own brand colour: the palette of an organization without custom branding. */
export const defaultBrandColor = '#4f46e5'

/** The WCAG 2 AA contrast ratio for normal text. */
export const minTextContrast = 4.5

/** The colours derived from one brand colour (as the API's branding palette and domain.DerivePalette). */
export interface Palette {
  /** The brand colour, lowercase #rrggbb. */
  brand: string
  /** Text on a brand background. */
  on_brand: string
  /** Brand-coloured text on white and on brand_soft. */
  brand_text: string
  /** A light tint of the brand for backgrounds. */
  brand_soft: string
}

type Rgb = [number, number, number]

const hexPattern = /^#[0-9a-fA-F]{6}$/

/** Whether s is a #rrggbb colour. */
export function isHexColor(s: string): boolean {
  return hexPattern.test(s)
}

function parse(hex: string): Rgb | null {
  if (!isHexColor(hex)) return null
  const v = parseInt(hex.slice(1), 16)
  return [(v >> 16) / 255, ((v >> 8) & 0xff) / 255, (v & 0xff) / 255]
}

function toHex(c: Rgb): string {
  return '#' + c.map((v) => Math.round(Math.min(Math.max(v, 0), 1) * 255).toString(16).padStart(2, '0')).join('')
}

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

function mix(c: Rgb, to: Rgb, t: number): Rgb {
  return [c[0] + (to[0] - c[0]) * t, c[1] + (to[1] - c[1]) * t, c[2] + (to[2] - c[2]) * t]
}

/** The WCAG contrast ratio of two #rrggbb colours (1 to 21); 0 when either is not a colour. */
export function contrastRatio(a: string, b: string): number {
  const ca = parse(a)
  const cb = parse(b)
  return ca && cb ? contrast(ca, cb) : 0
}

const white: Rgb = [1, 1, 1]
const black: Rgb = [0, 0, 0]
const nearBlack: Rgb = [0x18 / 255, 0x18 / 255, 0x1b / 255]

/**
 * The accessible palette of a brand colour, computed as the server does (domain.DerivePalette) so the
 * settings preview shows what the portal and emails will paint: on_brand is white or near-black, whichever
 * contrasts more (pure black in the mid-tones where neither reaches 4.5:1); brand_soft is the brand at 10 %
 * over white; brand_text is the brand darkened until it reaches 4.5:1 on brand_soft. A colour that is not
 * #rrggbb gets ClientFlow's palette.
 */
export function derivePalette(hex: string): Palette {
  const start = parse(hex.toLowerCase()) ?? (parse(defaultBrandColor) as Rgb)
  const brand = toHex(start)
  const c = parse(brand) as Rgb
  let on = contrast(c, nearBlack) > contrast(c, white) ? nearBlack : white
  if (contrast(c, on) < minTextContrast) on = black
  const softHex = toHex(mix(white, c, 0.1))
  const soft = parse(softHex) as Rgb
  let text = c
  for (let i = 1; contrast(text, soft) < minTextContrast && i <= 50; i++) {
    text = parse(toHex(mix(c, black, i / 50))) as Rgb
  }
  return { brand, on_brand: toHex(on), brand_text: toHex(text), brand_soft: softHex }
}

/** A contrast ratio for people, with the WCAG verdict: "7.1:1 · passes AA". */
export function describeContrast(ratio: number): { label: string; passes: boolean } {
  const passes = ratio >= minTextContrast
  const shown = Math.floor(ratio * 10) / 10
  return { label: `${shown.toFixed(1)}:1 · ${passes ? 'passes' : 'fails'} AA (${minTextContrast}:1)`, passes }
}

/** The CSS variables of a palette, as the server injects them into the page. */
export function paletteVariables(p: Palette): Record<string, string> {
  return { '--brand': p.brand, '--on-brand': p.on_brand, '--brand-text': p.brand_text, '--brand-soft': p.brand_soft }
}

/** The From name of client emails: "<sender name or organization name> via ClientFlow". */
export function senderPreview(senderName: string, orgName: string): string {
  const name = (senderName.trim() || orgName.trim()).replace(/\s+/g, ' ')
  return name ? `${name} via ClientFlow` : 'ClientFlow'
}
