import { describe, expect, it } from 'vitest'
import { monthLabel, parsePeriod } from './api'

describe('parsePeriod', () => {
  it('keeps a period the selector offers', () => {
    expect(parsePeriod('12')).toBe(12)
    expect(parsePeriod('3')).toBe(3)
  })
  it('falls back to six months for anything else', () => {
    expect(parsePeriod(null)).toBe(6)
    expect(parsePeriod('7')).toBe(6)
    expect(parsePeriod('-1')).toBe(6)
    expect(parsePeriod('twelve')).toBe(6)
  })
})

describe('monthLabel', () => {
  it('names the UTC month of YYYY-MM', () => {
    expect(monthLabel('2026-01')).toMatch(/Jan.*2026/)
    expect(monthLabel('2026-12')).toMatch(/Dec.*2026/)
  })
})
