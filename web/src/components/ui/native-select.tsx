import type { ComponentProps } from 'react'
import { cn } from '@/lib/utils'

/** A native select styled like Input: long option lists (clients, templates) stay searchable by typing. */
export function NativeSelect({ className, ...props }: ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        'flex h-9 w-full min-w-0 rounded-md border border-input bg-transparent px-3 py-1 text-base shadow-xs outline-none md:text-sm',
        'focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring aria-invalid:border-destructive',
        className,
      )}
      {...props}
    />
  )
}
