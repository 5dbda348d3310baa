import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDecimal, formatMoney } from '../data/money'

interface Line {
  id: string
  description: string
  quantity_milli: number
  unit_price: number
  amount: number
}

/** An invoice's lines, as the agency and its client both see them. */
export function InvoiceLines({ lines, currency }: { lines: Line[]; currency: string }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Description</TableHead>
          <TableHead className="text-right">Qty</TableHead>
          <TableHead className="text-right">Unit price</TableHead>
          <TableHead className="text-right">Amount</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((line) => (
          <TableRow key={line.id}>
            <TableCell>{line.description}</TableCell>
            <TableCell className="text-right tabular-nums">{formatDecimal(line.quantity_milli, 3)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMoney(line.unit_price, currency)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMoney(line.amount, currency)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
