import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatMoney } from '@/features/projects/data/schema'

/** A bar per label; the chart is decorative (aria-hidden), a table beside it carries the figures. */
interface BarsProps {
  data: { label: string; value: number }[]
  color?: string
  money?: string
}

/** Bars for one series. Lives in its own chunk: Recharts loads only when the dashboard shows a chart. */
export default function Bars({ data, color = 'var(--color-primary)', money }: BarsProps) {
  const format = (v: number) => (money ? formatMoney(v, money) : String(v))
  return (
    <div aria-hidden="true" className="h-52 w-full min-w-0">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" stroke="var(--color-border)" />
          <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} interval="preserveStartEnd" minTickGap={8} />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} width={money ? 72 : 32} tickFormatter={format} />
          <Tooltip formatter={(v) => format(Number(v))} cursor={{ fill: 'var(--color-muted)' }} />
          <Bar dataKey="value" fill={color} radius={[4, 4, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
