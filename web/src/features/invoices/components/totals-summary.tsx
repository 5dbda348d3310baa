import { formatMoney } from '../data/money'

/** Subtotal, discount, tax, total and (once something was paid) the balance, right-aligned. */
export function TotalsSummary({
  currency,
  subtotal,
  discount,
  tax,
  total,
  amountPaid,
}: {
  currency: string
  subtotal: number
  discount: number
  tax: number
  total: number
  amountPaid?: number
}) {
  const rows: [string, string, boolean][] = [
    ['Subtotal', formatMoney(subtotal, currency), false],
    ...(discount > 0 ? [['Discount', `−${formatMoney(discount, currency)}`, false] as [string, string, boolean]] : []),
    ['Tax', formatMoney(tax, currency), false],
    ['Total', formatMoney(total, currency), true],
  ]
  if (amountPaid !== undefined && amountPaid > 0) {
    rows.push(['Paid', formatMoney(amountPaid, currency), false], ['Balance due', formatMoney(total - amountPaid, currency), true])
  }
  return (
    <dl aria-label="Invoice totals" className="ml-auto grid h-fit w-full max-w-xs grid-cols-2 gap-x-4 gap-y-1 self-start text-sm">
      {rows.map(([label, value, strong]) => (
        <div key={label} className="contents">
          <dt className={strong ? 'font-semibold' : 'text-muted-foreground'}>{label}</dt>
          <dd className={`text-right tabular-nums ${strong ? 'font-semibold' : ''}`} data-testid={`total-${label.toLowerCase().replace(' ', '-')}`}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  )
}
