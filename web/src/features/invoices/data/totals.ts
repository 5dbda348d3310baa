/**
 * ClientFlow's one rounding rule for invoices, mirrored exactly from the server (domain.ComputeInvoiceTotals
 * in domain/invoice.go) so the editor's live totals are the totals the invoice will store. Integer minor
 * units throughout, computed with BigInt so no intermediate product loses precision; half-up rounding:
 *
 *  1. line amount = round(quantity_milli × unit_price / 1000)
 *  2. subtotal    = Σ line amounts
 *  3. discount    = round(subtotal × discount_bp / 10000)
 *  4. the discount is allocated to the lines before tax in proportion to their amounts: floor shares, then the
 *     leftover cents one each to the largest remainders (the earlier line on a tie)
 *  5. line tax    = round((amount − line discount) × tax_rate_bp / 10000)
 *  6. tax = Σ line taxes; total = subtotal − discount + tax
 */

/** The most an invoice may total, in minor units (as the server's MaxInvoiceAmount). */
export const maxInvoiceAmount = 1_000_000_000_000_000

/** What the rule reads from a line. */
export interface LineInput {
  quantityMilli: number
  unitPrice: number
  taxRateBp: number
}

/** What the rule assigns a line. */
export interface LineTotals {
  amount: number
  discount: number
  tax: number
}

/** An invoice's sums and each line's share, in minor units. */
export interface InvoiceTotals {
  subtotal: number
  discount: number
  tax: number
  total: number
  lines: LineTotals[]
}

function mulDivHalfUp(a: bigint, b: bigint, d: bigint): bigint {
  return (a * b + d / 2n) / d
}

/** Applies the rule; null when the total would exceed what an invoice may hold. */
export function computeInvoiceTotals(lines: readonly LineInput[], discountBp: number): InvoiceTotals | null {
  const max = BigInt(maxInvoiceAmount)
  const amounts = lines.map((l) => mulDivHalfUp(BigInt(l.quantityMilli), BigInt(l.unitPrice), 1000n))
  let subtotal = 0n
  for (const amount of amounts) {
    subtotal += amount
    if (amount > max || subtotal > max) return null
  }
  const discount = mulDivHalfUp(subtotal, BigInt(discountBp), 10000n)
  const shares = allocate(amounts, subtotal, discount)
  const taxes = lines.map((l, i) => mulDivHalfUp(amounts[i] - shares[i], BigInt(l.taxRateBp), 10000n))
  const tax = taxes.reduce((sum, t) => sum + t, 0n)
  const total = subtotal - discount + tax
  if (total > max) return null
  return {
    subtotal: Number(subtotal),
    discount: Number(discount),
    tax: Number(tax),
    total: Number(total),
    lines: amounts.map((amount, i) => ({ amount: Number(amount), discount: Number(shares[i]), tax: Number(taxes[i]) })),
  }
}

function allocate(amounts: bigint[], subtotal: bigint, discount: bigint): bigint[] {
  if (subtotal === 0n) return amounts.map(() => 0n)
  const shares = amounts.map((a) => (a * discount) / subtotal)
  const remainders = amounts.map((a) => (a * discount) % subtotal)
  let left = discount - shares.reduce((sum, s) => sum + s, 0n)
  const order = amounts.map((_, i) => i).sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a] > remainders[b] ? -1 : 1))
  for (const i of order) {
    if (left === 0n) break
    shares[i] += 1n
    left -= 1n
  }
  return shares
}

/** Thousandths of an hour for minutes of work, rounded half up (20 minutes = 333). */
export function quantityForMinutes(minutes: number): number {
  return Number(mulDivHalfUp(BigInt(minutes), 1000n, 60n))
}
