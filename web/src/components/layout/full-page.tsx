import { AlertTriangleIcon } from 'lucide-react'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'

/** What the app shows while it finds out who the user is. */
export function FullPageLoading() {
  return (
    <div className="flex h-full" role="status" aria-busy="true" aria-label="Loading">
      <div className="hidden w-64 shrink-0 flex-col gap-3 border-r bg-sidebar p-4 md:flex">
        <Skeleton className="h-7 w-32" />
        <Skeleton className="mt-6 h-8 w-full" />
        <Skeleton className="h-8 w-full" />
      </div>
      <div className="flex flex-1 flex-col gap-4 p-6">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-64 w-full" />
      </div>
    </div>
  )
}

/** A failure that stops the whole page (the API is down, for instance). */
export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined
  return (
    <main className="flex h-full flex-col items-center justify-center gap-4 p-6 text-center">
      <AlertTriangleIcon className="size-10 text-destructive" aria-hidden="true" />
      <h1 className="text-xl font-semibold">We couldn't load ClientFlow</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        {error instanceof ApiError ? error.detail : 'An unexpected error occurred.'}
        {requestId && <span className="mt-1 block font-mono text-xs">Request ID: {requestId}</span>}
      </p>
      <Button onClick={onRetry}>Try again</Button>
    </main>
  )
}
