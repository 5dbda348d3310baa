import { describe, expect, it } from 'vitest'
import { apiFieldToForm, invoiceFormSchema, liveTotals, toBody, toFormInput, type InvoiceFormInput } from './schema'

const valid: InvoiceFormInput = {
  clientId: '0190d6a4-0000-7000-8000-000000000001',
  currency: 'eur',
  issueDate: '2026-01-10',
  dueDate: '2026-02-09',
  discount: '10',
  notes: '',
  lines: [{ description: 'Design', quantity: '1.5', unitPrice: '150', taxRate: '7.5' }],
}

function errorsOf(input: Partial<InvoiceFormInput>): Record<string, string> {
  const result = invoiceFormSchema.safeParse({ ...valid, ...input })
  if (result.success) return {}
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]))
}

describe('invoiceFormSchema', () => {
  it('accepts a valid draft and upper-cases the currency', () => {
    const parsed = invoiceFormSchema.parse(valid)
    expect(parsed.currency).toBe('EUR')
  })

  it('refuses a due date before the issue date', () => {
    expect(errorsOf({ dueDate: '2026-01-09' })).toHaveProperty('dueDate')
  })

  it('refuses more decimals than the currency has', () => {
    expect(errorsOf({ currency: 'JPY', lines: [{ description: 'x', quantity: '1', unitPrice: '1.5', taxRate: '' }] })).toHaveProperty('lines.0.unitPrice')
  })

  it('refuses a zero quantity and a tax rate over 100 %', () => {
    const errors = errorsOf({ lines: [{ description: 'x', quantity: '0', unitPrice: '1', taxRate: '100.01' }] })
    expect(errors).toHaveProperty('lines.0.quantity')
    expect(errors).toHaveProperty('lines.0.taxRate')
  })
})

describe('toBody and liveTotals', () => {
  it('sends integer units and shows the totals the server will store', () => {
    const body = toBody(invoiceFormSchema.parse(valid))
    expect(body.lines[0]).toEqual({ description: 'Design', quantity_milli: 1500, unit_price: 15000, tax_rate_bp: 750 })
    expect(body.discount_bp).toBe(1000)
    // 225.00 − 22.50 discount + 7.5 % of 202.50 (15.1875 → 15.19) = 217.69
    expect(liveTotals(valid)).toMatchObject({ subtotal: 22500, discount: 2250, tax: 1519, total: 21769 })
  })

  it('counts a line still being typed as zero', () => {
    expect(liveTotals({ ...valid, lines: [{ description: '', quantity: '2', unitPrice: '', taxRate: '' }] })?.total).toBe(0)
  })

  it('starts a new draft due thirty days after today', () => {
    const input = toFormInput(undefined, 'GBP')
    const days = (Date.parse(input.dueDate) - Date.parse(input.issueDate)) / 86_400_000
    expect([input.currency, days, input.lines.length]).toEqual(['GBP', 30, 1])
  })
})

describe('apiFieldToForm', () => {
  it('maps line fields', () => {
    expect(apiFieldToForm('body.lines[2].unit_price')).toBe('lines.2.unitPrice')
    expect(apiFieldToForm('body.due_date')).toBe('dueDate')
    expect(apiFieldToForm('body.other')).toBeUndefined()
  })
})
