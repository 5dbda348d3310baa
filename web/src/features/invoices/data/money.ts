import { currencyExponent } from '@/lib/money'

export { currencyExponent, formatMoneyInput, moneyPlaceholder, parseMoneyInput } from '@/lib/money'

/** Minor units as money in the user's locale: 123450 EUR → "€1,234.50". */
export function formatMoney(minor: number, currency: string): string {
  const exp = currencyExponent(currency)
  const value = minor / 10 ** exp
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp }).format(value)
  } catch {
    return `${value.toFixed(exp)} ${currency}`
  }
}

/**
 * Reads a plain decimal ("12.5", "0.333") as an integer count of 10^-places units, exactly (no floating
 * point): parseDecimal("1.5", 3) = 1500. Null for anything else, including more decimals than places.
 */
export function parseDecimal(text: string, places: number): number | null {
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim())
  if (!match) return null
  const fraction = match[2] ?? ''
  if (fraction.length > places) return null
  const value = Number(match[1] + fraction.padEnd(places, '0'))
  return Number.isSafeInteger(value) ? value : null
}

/** The inverse of parseDecimal without trailing zeros: (1500, 3) → "1.5". */
export function formatDecimal(value: number, places: number): string {
  if (places === 0) return String(value)
  const text = String(value).padStart(places + 1, '0')
  const whole = text.slice(0, -places)
  const fraction = text.slice(-places).replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole
}
