import { AlertCircleIcon, LockIcon, type LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { ApiError } from '@/api/errors'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'

/** A page's title and what it holds. */
export function PortalPageHeader({ title, description, action }: { title: string; description?: string; action?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="grid min-w-0 gap-1">
        <h1 className="text-2xl font-semibold tracking-tight break-words">{title}</h1>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {action}
    </div>
  )
}

/** Placeholder blocks while `what` loads. */
export function PortalLoading({ what, rows = 3 }: { what: string; rows?: number }) {
  return (
    <div className="grid gap-3" role="status" aria-busy="true" aria-label={`Loading ${what}`}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-16 w-full" />
      ))}
    </div>
  )
}

/**
 * Why `what` could not load, in the client's terms: the portal is not open for them yet (403), the plan
 * lacks the portal (402), it is not there (404), or something failed (with Try again).
 */
export function PortalError({ what, error, onRetry }: { what: string; error: Error; onRetry?: () => void }) {
  if (error instanceof ApiError && (error.status === 403 || error.status === 402)) {
    return (
      <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-16 text-center">
        <div className="grid size-12 place-items-center rounded-full bg-muted text-muted-foreground">
          <LockIcon className="size-6" aria-hidden="true" />
        </div>
        <h2 className="text-xl font-semibold">The portal isn't open yet</h2>
        <p className="text-sm text-muted-foreground">
          {error.status === 403 ? error.detail : 'The client portal is not part of this organization’s plan right now.'} Your
          contact at the agency can turn it on for you.
        </p>
      </div>
    )
  }
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Alert>
        <AlertCircleIcon aria-hidden="true" />
        <AlertTitle>We couldn't find {what}</AlertTitle>
        <AlertDescription>It may have been removed, or it is no longer shared with you.</AlertDescription>
      </Alert>
    )
  }
  return (
    <Alert variant="destructive">
      <AlertCircleIcon aria-hidden="true" />
      <AlertTitle>Couldn't load {what}</AlertTitle>
      <AlertDescription>
        <p>{error.message}</p>
        {onRetry && (
          <Button variant="outline" size="sm" className="mt-3" onClick={onRetry}>
            Try again
          </Button>
        )}
      </AlertDescription>
    </Alert>
  )
}

/** An empty list that says why it is empty and what happens next. */
export function EmptyState({ icon: Icon, title, children, action }: { icon: LucideIcon; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed px-4 py-10 text-center">
      <Icon className="size-8 text-muted-foreground" aria-hidden="true" />
      <h2 className="font-medium">{title}</h2>
      <p className="max-w-sm text-sm text-muted-foreground">{children}</p>
      {action && <div className="mt-2">{action}</div>}
    </div>
  )
}
