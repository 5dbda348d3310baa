/** Decimal places of a currency's minor unit (ISO 4217), as the server's domain.CurrencyExponent. */
export function currencyExponent(currency: string): number {
  if (['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].includes(currency)) return 0
  if (['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].includes(currency)) return 3
  return 2
}

/** The decimal separator of a locale ("," for de-DE, "." for en-US); the browser's own without one. */
export function decimalSeparator(locale?: string): string {
  try {
    return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.'
  } catch {
    return '.'
  }
}

/**
 * Reads an amount typed the way people write it as an exact integer count of 10^-places units (no floating
 * point): "1.234,56" and "1,234.56" are both 123456 with 2 places, "12,5" is 1250, "1 234" is 123400.
 *
 * With both "." and "," the last one is the decimal mark and the other groups thousands (groups of three).
 * With one mark used more than once it groups thousands. A single mark is the decimal mark when it is the
 * locale's (and the currency has decimals), or when what follows is not exactly three digits; "1,500" in
 * English and "1.500" in German are fifteen hundred. Spaces (also no-break) and apostrophes group thousands too. Null for anything else,
 * including negative amounts and more decimals than places.
 */
export function parseLocaleDecimal(text: string, places: number, locale?: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f'’]/g, '')
  if (s === '' || !/^[\d.,]+$/.test(s)) return null
  const lastDot = s.lastIndexOf('.')
  const lastComma = s.lastIndexOf(',')
  let decimalMark: string | null = null
  if (lastDot >= 0 && lastComma >= 0) {
    decimalMark = lastDot > lastComma ? '.' : ','
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ','
    const count = s.split(mark).length - 1
    const after = s.slice(s.lastIndexOf(mark) + 1)
    if (count === 1 && ((places > 0 && mark === decimalSeparator(locale)) || !/^\d{3}$/.test(after))) decimalMark = mark
  }
  let whole = s
  let fraction = ''
  if (decimalMark !== null) {
    const at = s.lastIndexOf(decimalMark)
    whole = s.slice(0, at)
    fraction = s.slice(at + 1)
    if (!/^\d*$/.test(fraction)) return null
  }
  if (!validGrouping(whole)) return null
  const digits = whole.replace(/[.,]/g, '')
  if (digits === '' && fraction === '') return null
  if (fraction.length > places) return null
  const value = Number((digits || '0') + fraction.padEnd(places, '0'))
  return Number.isSafeInteger(value) ? value : null
}

/** A whole part: plain digits, or digits grouped in threes by one kind of mark ("1.234.567", "12,345"). */
function validGrouping(whole: string): boolean {
  if (/^\d*$/.test(whole)) return true
  return /^\d{1,3}(\.\d{3})+$/.test(whole) || /^\d{1,3}(,\d{3})+$/.test(whole)
}

/** Minor units from what a money field holds, by the currency's digits: ("1.234,56", "EUR") → 123456. */
export function parseMoneyInput(text: string, currency: string, locale?: string): number | null {
  return parseLocaleDecimal(text, currencyExponent(currency), locale)
}

/**
 * Minor units as a money field's text in the locale's decimal mark and without grouping, so parseMoneyInput
 * reads it back whatever the locale: (123450, "EUR", "de-DE") → "1234,5"; trailing zeros are dropped.
 */
export function formatMoneyInput(minor: number, currency: string, locale?: string): string {
  const places = currencyExponent(currency)
  const sign = minor < 0 ? '-' : ''
  const text = String(Math.abs(minor)).padStart(places + 1, '0')
  if (places === 0) return sign + text
  const whole = text.slice(0, -places)
  const fraction = text.slice(-places).replace(/0+$/, '')
  return sign + (fraction ? `${whole}${decimalSeparator(locale)}${fraction}` : whole)
}

/** A money field's placeholder in the locale's decimal mark and the currency's digits: "0.00", "0,00", "0". */
export function moneyPlaceholder(currency: string, locale?: string): string {
  const places = currencyExponent(currency)
  return places === 0 ? '0' : `0${decimalSeparator(locale)}${'0'.repeat(places)}`
}
