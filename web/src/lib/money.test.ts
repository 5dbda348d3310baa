import { describe, expect, it } from 'vitest'
import { currencyExponent, decimalSeparator, formatMoneyInput, moneyPlaceholder, parseLocaleDecimal, parseMoneyInput } from './money'

describe('parseMoneyInput', () => {
  it.each([
    ['1.234,56', 'EUR', 'de-DE', 123456],
    ['1,234.56', 'EUR', 'de-DE', 123456],
    ['1.234,56', 'USD', 'en-US', 123456],
    ['1,234.56', 'USD', 'en-US', 123456],
    ['12,5', 'EUR', 'en-US', 1250],
    ['12.5', 'EUR', 'de-DE', 1250],
    ['1,500', 'USD', 'en-US', 150000],
    ['1.500', 'EUR', 'de-DE', 150000],
    ['1,5', 'EUR', 'de-DE', 150],
    ['1 234,56', 'EUR', 'fr-FR', 123456],
    ['1\u202f234,56', 'EUR', 'fr-FR', 123456],
    ["1'234.56", 'CHF', 'de-CH', 123456],
    ['1,234,567', 'USD', 'en-US', 123456700],
    ['1.234.567,8', 'EUR', 'de-DE', 123456780],
    [' 150 ', 'EUR', 'en-US', 15000],
    ['0,05', 'EUR', 'de-DE', 5],
    [',5', 'EUR', 'de-DE', 50],
    ['1.234', 'JPY', 'en-US', 1234],
    ['1,234', 'JPY', 'ja-JP', 1234],
    ['1.234', 'KWD', 'en-US', 1234],
    ['1.234', 'KWD', 'de-DE', 1234000],
    ['1.234,567', 'KWD', 'de-DE', 1234567],
  ])('%s in %s (%s) is %i minor units', (text, currency, locale, want) => {
    expect(parseMoneyInput(text, currency, locale)).toBe(want)
  })

  it.each([
    ['', 'EUR', 'en-US'],
    ['abc', 'EUR', 'en-US'],
    ['-5', 'EUR', 'en-US'],
    ['1.234', 'EUR', 'en-US'], // three decimals for a two-decimal currency
    ['1,234', 'EUR', 'de-DE'],
    ['1,5', 'JPY', 'en-US'], // JPY has no minor unit
    ['1.2.3', 'EUR', 'en-US'],
    ['12,34,567.00', 'USD', 'en-US'], // groups of three only
    ['1,234.567,89', 'EUR', 'en-US'],
    ['.', 'EUR', 'en-US'],
    ['€5', 'EUR', 'en-US'],
    ['99999999999999999', 'EUR', 'en-US'],
  ])('refuses %s in %s (%s)', (text, currency, locale) => {
    expect(parseMoneyInput(text, currency, locale)).toBeNull()
  })
})

describe('formatMoneyInput', () => {
  it.each([
    [123450, 'EUR', 'de-DE', '1234,5'],
    [123450, 'EUR', 'en-US', '1234.5'],
    [5, 'EUR', 'en-US', '0.05'],
    [150000, 'USD', 'en-US', '1500'],
    [1234, 'JPY', 'en-US', '1234'],
    [1234, 'KWD', 'de-DE', '1,234'],
  ])('%i %s in %s is %s', (minor, currency, locale, want) => {
    expect(formatMoneyInput(minor, currency, locale)).toBe(want)
  })

  it.each([
    [1234, 'KWD', 'de-DE'],
    [1234, 'KWD', 'en-US'],
    [123456, 'EUR', 'de-DE'],
    [100, 'EUR', 'fr-FR'],
    [7, 'USD', 'en-US'],
  ])('reads back %i %s in %s', (minor, currency, locale) => {
    expect(parseMoneyInput(formatMoneyInput(minor, currency, locale), currency, locale)).toBe(minor)
  })
})

describe('helpers', () => {
  it('knows the decimal mark of a locale', () => {
    expect([decimalSeparator('en-US'), decimalSeparator('de-DE')]).toEqual(['.', ','])
  })

  it('knows zero- and three-decimal currencies', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3])
  })

  it('shows a placeholder in the locale and currency digits', () => {
    expect([moneyPlaceholder('EUR', 'de-DE'), moneyPlaceholder('USD', 'en-US'), moneyPlaceholder('JPY', 'en-US'), moneyPlaceholder('KWD', 'en-US')]).toEqual([
      '0,00',
      '0.00',
      '0',
      '0.000',
    ])
  })

  it('parses quantities with three places', () => {
    expect(parseLocaleDecimal('1,5', 3, 'en-US')).toBe(1500)
  })
})
