import { z } from 'zod'
import type { Invoice, InvoiceCreate } from './api'
import { currencyExponent, formatDecimal, formatMoneyInput, parseDecimal, parseMoneyInput } from './money'
import { computeInvoiceTotals, type InvoiceTotals, type LineInput } from './totals'

/** One line as the editor's fields hold it: plain decimal text. */
const lineSchema = z.object({
  description: z.string().trim().min(1, 'Describe the line').max(1000, 'Use at most 1000 characters'),
  quantity: z.string(),
  unitPrice: z.string(),
  taxRate: z.string(),
})

/** The invoice editor's rules; amounts are checked against the currency's decimals. */
export const invoiceFormSchema = z
  .object({
    clientId: z.string().min(1, 'Choose a client'),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Use a three-letter code like EUR'),
    issueDate: z.string().min(1, 'Choose the issue date'),
    dueDate: z.string().min(1, 'Choose the due date'),
    discount: z.string(),
    notes: z.string().max(10000, 'Use at most 10000 characters'),
    lines: z.array(lineSchema).max(200, 'Use at most 200 lines'),
  })
  .superRefine((values, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
    if (values.issueDate && values.dueDate && values.dueDate < values.issueDate) issue(['dueDate'], 'The due date cannot be before the issue date')
    if (!validRate(values.discount)) issue(['discount'], 'Enter a percentage from 0 to 100')
    const exp = currencyExponent(values.currency)
    values.lines.forEach((line, i) => {
      const quantity = parseDecimal(line.quantity, 3)
      if (quantity === null || quantity < 1 || quantity > 1_000_000_000) issue(['lines', i, 'quantity'], 'Enter a quantity like 1.5 (up to 3 decimals)')
      const price = parseMoneyInput(line.unitPrice, values.currency)
      if (price === null || price > 1_000_000_000_000) issue(['lines', i, 'unitPrice'], `Enter a price with at most ${exp} decimals`)
      if (!validRate(line.taxRate)) issue(['lines', i, 'taxRate'], 'Enter a percentage from 0 to 100')
    })
    if (computeInvoiceTotals(toLineInputs(values), rateBp(values.discount)) === null) issue(['lines'], 'The invoice total is too large')
  })

/** What the form fields hold. */
export type InvoiceFormInput = z.input<typeof invoiceFormSchema>
/** The checked, normalised form values. */
export type InvoiceFormValues = z.output<typeof invoiceFormSchema>
/** One line of the form. */
export type InvoiceLineInput = InvoiceFormInput['lines'][number]

function validRate(text: string): boolean {
  if (text.trim() === '') return true
  const bp = parseDecimal(text, 2)
  return bp !== null && bp <= 10000
}

/** "7.5" (percent) → 750 basis points; blank or invalid → 0. */
export function rateBp(text: string): number {
  return parseDecimal(text, 2) ?? 0
}

/** The rule's input from the form's text; a line still being typed counts as zero. */
export function toLineInputs(values: Pick<InvoiceFormInput, 'currency' | 'lines'>): LineInput[] {
  const currency = values.currency.trim().toUpperCase()
  return values.lines.map((line) => ({
    quantityMilli: parseDecimal(line.quantity, 3) ?? 0,
    unitPrice: parseMoneyInput(line.unitPrice, currency) ?? 0,
    taxRateBp: rateBp(line.taxRate),
  }))
}

/** The live totals of what the form holds now, by the same rule the server stores. */
export function liveTotals(values: Pick<InvoiceFormInput, 'currency' | 'lines' | 'discount'>): InvoiceTotals | null {
  return computeInvoiceTotals(toLineInputs(values), rateBp(values.discount))
}

/** A blank line. */
export const emptyLine: InvoiceLineInput = { description: '', quantity: '1', unitPrice: '', taxRate: '' }

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The form's starting values: a fresh draft (due in 30 days), or the draft being edited. */
export function toFormInput(invoice?: Invoice, defaultCurrency = 'USD'): InvoiceFormInput {
  if (!invoice) {
    const issue = today()
    return { clientId: '', currency: defaultCurrency, issueDate: issue, dueDate: addDays(issue, 30), discount: '', notes: '', lines: [emptyLine] }
  }
  return {
    clientId: invoice.client_id,
    currency: invoice.currency,
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    discount: invoice.discount_bp ? formatDecimal(invoice.discount_bp, 2) : '',
    notes: invoice.notes,
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: formatDecimal(l.quantity_milli, 3),
      unitPrice: formatMoneyInput(l.unit_price, invoice.currency),
      taxRate: l.tax_rate_bp ? formatDecimal(l.tax_rate_bp, 2) : '',
    })),
  }
}

/** The body the API takes for a create (and, field for field, for a draft's update). */
export function toBody(values: InvoiceFormValues): InvoiceCreate {
  const lines = toLineInputs(values)
  return {
    client_id: values.clientId,
    currency: values.currency,
    issue_date: values.issueDate,
    due_date: values.dueDate,
    discount_bp: rateBp(values.discount),
    notes: values.notes,
    lines: values.lines.map((line, i) => ({
      description: line.description,
      quantity_milli: lines[i].quantityMilli,
      unit_price: lines[i].unitPrice,
      tax_rate_bp: lines[i].taxRateBp,
    })),
  }
}

/** API field paths ("body.lines[0].unit_price") → form fields ("lines.0.unitPrice"). */
export function apiFieldToForm(field: string): string | undefined {
  const direct: Record<string, string> = {
    'body.client_id': 'clientId',
    'body.currency': 'currency',
    'body.issue_date': 'issueDate',
    'body.due_date': 'dueDate',
    'body.discount_bp': 'discount',
    'body.notes': 'notes',
    'body.lines': 'lines',
  }
  if (direct[field]) return direct[field]
  const line = /^body\.lines\[(\d+)\]\.(description|quantity_milli|unit_price|tax_rate_bp)$/.exec(field)
  if (!line) return undefined
  const names: Record<string, string> = { description: 'description', quantity_milli: 'quantity', unit_price: 'unitPrice', tax_rate_bp: 'taxRate' }
  return `lines.${line[1]}.${names[line[2]]}`
}
