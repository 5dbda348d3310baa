import { ArrowDownIcon, ArrowUpIcon, EqualIcon, OctagonAlertIcon, type LucideIcon } from 'lucide-react'
import { cn } from '@/lib/utils'
import type { Priority } from '../data/types'

/**
 * Each priority has its own hue and its own icon (and its name), so the levels stay apart without colour:
 * urgent a solid red octagon, high an orange up arrow, medium a blue equals sign, low a grey down arrow.
 * Every text colour keeps ≥ 4.5:1 on its background.
 */
export const priorityStyles: Record<Priority, { label: string; Icon: LucideIcon; className: string }> = {
  urgent: { label: 'Urgent', Icon: OctagonAlertIcon, className: 'border-transparent bg-red-700 text-white' },
  high: { label: 'High', Icon: ArrowUpIcon, className: 'border-orange-200 bg-orange-50 text-orange-800 dark:border-orange-900 dark:bg-orange-950 dark:text-orange-200' },
  medium: { label: 'Medium', Icon: EqualIcon, className: 'border-blue-200 bg-blue-50 text-blue-800 dark:border-blue-900 dark:bg-blue-950 dark:text-blue-200' },
  low: { label: 'Low', Icon: ArrowDownIcon, className: 'border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300' },
}

/** A task's priority as a small labelled badge with its icon. */
export function PriorityBadge({ priority, className }: { priority: Priority; className?: string }) {
  const { label, Icon, className: tone } = priorityStyles[priority]
  return (
    <span data-priority={priority} className={cn('inline-flex items-center gap-1 rounded-full border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap', tone, className)}>
      <Icon aria-hidden="true" className="size-3" strokeWidth={2.5} />
      {label}
      <span className="sr-only"> priority</span>
    </span>
  )
}
