import { Loader2Icon } from 'lucide-react'

/** The first visit's placeholder while a public page's code loads: a quiet spinner, announced to screen readers. */
export function RouteLoading() {
  return (
    <div role="status" className="flex h-full min-h-dvh items-center justify-center">
      <Loader2Icon className="size-6 animate-spin text-muted-foreground" aria-hidden="true" />
      <span className="sr-only">Loading…</span>
    </div>
  )
}
