import { describe, expect, it } from 'vitest'
import { currencyExponent, formatDecimal, parseDecimal } from './money'

describe('parseDecimal', () => {
  it.each([
    ['1.5', 3, 1500],
    ['0.333', 3, 333],
    ['12', 2, 1200],
    ['12,5', 2, 1250],
    ['7.5', 2, 750],
    [' 150.00 ', 2, 15000],
  ])('%s with %i places is %i', (text, places, want) => {
    expect(parseDecimal(text, places)).toBe(want)
  })

  it.each([['1.2345', 3], ['-1', 2], ['abc', 2], ['', 2], ['1.5', 0]])('refuses %s with %i places', (text, places) => {
    expect(parseDecimal(text, places)).toBeNull()
  })
})

describe('formatDecimal', () => {
  it.each([
    [1500, 3, '1.5'],
    [333, 3, '0.333'],
    [2000, 3, '2'],
    [5, 2, '0.05'],
    [1500, 0, '1500'],
  ])('%i with %i places is %s', (value, places, want) => {
    expect(formatDecimal(value, places)).toBe(want)
  })
})

describe('currencyExponent', () => {
  it('knows zero- and three-decimal currencies', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3])
  })
})
