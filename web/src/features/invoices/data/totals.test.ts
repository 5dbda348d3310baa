import { describe, expect, it } from 'vitest'
import { computeInvoiceTotals, quantityForMinutes, type LineInput } from './totals'

const line = (quantityMilli: number, unitPrice: number, taxRateBp = 0): LineInput => ({ quantityMilli, unitPrice, taxRateBp })

// The same cases as domain/invoice_test.go: the browser and the server must agree to the cent.
describe('computeInvoiceTotals', () => {
  it.each([
    { name: 'no lines', lines: [], bp: 0, want: [0, 0, 0, 0], discounts: [], taxes: [] },
    { name: 'a third of an hour', lines: [line(333, 15000)], bp: 0, want: [4995, 0, 0, 4995], discounts: [0], taxes: [0] },
    { name: 'line amount rounds half up', lines: [line(1500, 333)], bp: 0, want: [500, 0, 0, 500], discounts: [0], taxes: [0] },
    { name: 'seven and a half percent tax', lines: [line(1000, 1999, 750)], bp: 0, want: [1999, 0, 150, 2149], discounts: [0], taxes: [150] },
    {
      name: 'full discount leaves nothing to tax',
      lines: [line(1000, 1000, 2000), line(2000, 333, 750)],
      bp: 10000,
      want: [1666, 1666, 0, 0],
      discounts: [1000, 666],
      taxes: [0, 0],
    },
    {
      name: 'discount remainder goes to the earliest largest remainder',
      lines: [line(1000, 100, 1000), line(1000, 100, 1000), line(1000, 100, 1000)],
      bp: 3333,
      want: [300, 100, 21, 221],
      discounts: [34, 33, 33],
      taxes: [7, 7, 7],
    },
    {
      name: 'large amounts do not overflow',
      lines: [line(1_000_000_000, 900_000_000, 1000)],
      bp: 500,
      want: [900_000_000_000_000, 45_000_000_000_000, 85_500_000_000_000, 940_500_000_000_000],
      discounts: [45_000_000_000_000],
      taxes: [85_500_000_000_000],
    },
    {
      name: 'largest allowed total',
      lines: [line(1_000_000_000, 1_000_000_000)],
      bp: 0,
      want: [1_000_000_000_000_000, 0, 0, 1_000_000_000_000_000],
      discounts: [0],
      taxes: [0],
    },
  ])('$name', ({ lines, bp, want, discounts, taxes }) => {
    const got = computeInvoiceTotals(lines, bp)
    expect(got).not.toBeNull()
    expect([got?.subtotal, got?.discount, got?.tax, got?.total]).toEqual(want)
    expect(got?.lines.map((l) => l.discount)).toEqual(discounts)
    expect(got?.lines.map((l) => l.tax)).toEqual(taxes)
  })

  it('refuses totals past the maximum instead of wrapping', () => {
    expect(computeInvoiceTotals([line(1_000_000_000, 1_000_000_000, 1)], 0)).toBeNull()
    expect(computeInvoiceTotals([line(1_000_000_000, 1_000_000_000_000)], 0)).toBeNull()
  })
})

describe('quantityForMinutes', () => {
  it.each([
    [20, 333],
    [40, 667],
    [1, 17],
    [90, 1500],
    [0, 0],
  ])('%i minutes bill %i thousandths of an hour', (minutes, want) => {
    expect(quantityForMinutes(minutes)).toBe(want)
  })
})
