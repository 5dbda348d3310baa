import { Loader2Icon } from 'lucide-react'
import { Outlet, useNavigation } from 'react-router'

/** The first visit's placeholder while a public page's code loads: a quiet spinner, announced to screen readers. */
export function RouteLoading() {
  return (
    <div role="status" className="flex h-full min-h-dvh items-center justify-center">
      <Loader2Icon className="size-6 animate-spin text-muted-foreground" aria-hidden="true" />
      <span className="sr-only">Loading…</span>
    </div>
  )
}

/**
 * The root of every route. While the router fetches a page's code (the only thing it waits for: the pages load
 * their data themselves) the current page stays on screen and a thin bar at the top says something is coming.
 */
export function RootLayout() {
  const loading = useNavigation().state === 'loading'
  return (
    <>
      {loading && <div aria-hidden="true" className="fixed inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-primary" />}
      <Outlet />
    </>
  )
}
