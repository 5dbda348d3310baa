import { AlertTriangleIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useTitle } from '@/lib/use-title'

/** Shown when rendering a route throws: a bug, not a user error. */
export function CrashPage() {
  useTitle('Something went wrong')
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-4 p-6 text-center">
      <AlertTriangleIcon className="size-10 text-destructive" aria-hidden="true" />
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="max-w-md text-sm text-muted-foreground">An unexpected error stopped this page. Reloading usually helps.</p>
      <Button onClick={() => window.location.reload()}>Reload</Button>
    </main>
  )
}
