import { describe, expect, it } from 'vitest'
import { contrastRatio, derivePalette, describeContrast, minTextContrast, paletteVariables, senderPreview } from './palette'

describe('contrastRatio', () => {
  it('is 21 for black on white and 1 for a colour on itself', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#4f46e5', '#4f46e5')).toBe(1)
  })

  it('is 0 for something that is not a colour', () => {
    expect(contrastRatio('red', '#ffffff')).toBe(0)
  })
})

describe('derivePalette', () => {
  it.each(['#4f46e5', '#ffff00', '#777777', '#0a7f3f', '#000000', '#ffffff', '#ff6600', '#8a8a8a', '#2dd4bf'])(
    'every text pair of %s reaches 4.5:1',
    (hex) => {
      const p = derivePalette(hex)
      expect(contrastRatio(p.on_brand, p.brand)).toBeGreaterThanOrEqual(minTextContrast)
      expect(contrastRatio(p.brand_text, p.brand_soft)).toBeGreaterThanOrEqual(minTextContrast)
      expect(contrastRatio(p.brand_text, '#ffffff')).toBeGreaterThanOrEqual(minTextContrast)
    },
  )

  it('puts white on a dark brand and near-black on a light one', () => {
    expect(derivePalette('#4F46E5')).toMatchObject({ brand: '#4f46e5', on_brand: '#ffffff' })
    expect(derivePalette('#ffff00').on_brand).toBe('#18181b')
  })

  it('keeps a dark brand as its own text colour and darkens a light one', () => {
    expect(derivePalette('#1e3a8a').brand_text).toBe('#1e3a8a')
    expect(derivePalette('#ffff00').brand_text).not.toBe('#ffff00')
  })

  it('falls back to the ClientFlow palette for a non-colour', () => {
    expect(derivePalette('javascript:alert(1)')).toEqual(derivePalette('#4f46e5'))
  })
})

describe('describeContrast', () => {
  it('says whether the pair passes AA, never rounding a failure up to a pass', () => {
    expect(describeContrast(21)).toEqual({ label: '21.0:1 · passes AA (4.5:1)', passes: true })
    expect(describeContrast(4.49)).toEqual({ label: '4.4:1 · fails AA (4.5:1)', passes: false })
  })
})

describe('paletteVariables and senderPreview', () => {
  it('names the four brand CSS variables', () => {
    expect(Object.keys(paletteVariables(derivePalette('#4f46e5')))).toEqual(['--brand', '--on-brand', '--brand-text', '--brand-soft'])
  })

  it('shows the sender name, else the organization name, "via ClientFlow"', () => {
    expect(senderPreview('Acme Agency', 'Acme Ltd')).toBe('Acme Agency via ClientFlow')
    expect(senderPreview('  ', ' Acme   Ltd ')).toBe('Acme Ltd via ClientFlow')
    expect(senderPreview('', '')).toBe('ClientFlow')
  })
})
