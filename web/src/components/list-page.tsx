import { AlertCircleIcon, ChevronLeftIcon, ChevronRightIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { hasPrevious, nextPage, pageNumber, previousPage, type CursorPages } from '@/lib/cursor-pagination'

/** The title row of a list page: what the page holds, and its main action. */
export function PageHeader({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {action}
    </div>
  )
}

/** A list that could not load, with a way to try again. */
export function ListLoadError({ what, error, onRetry }: { what: string; error: Error; onRetry: () => void }) {
  return (
    <div className="p-4">
      <Alert variant="destructive">
        <AlertCircleIcon />
        <AlertTitle>Couldn't load {what}</AlertTitle>
        <AlertDescription>
          <p>{error.message}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={onRetry}>
            Try again
          </Button>
        </AlertDescription>
      </Alert>
    </div>
  )
}

/** Previous/Next for cursor pages; hidden while there is only one page. */
export function CursorPager({
  pages,
  nextCursor,
  stale,
  onGo,
}: {
  pages: CursorPages
  nextCursor?: string | null
  /** The shown rows are a previous page's, kept while the next loads. */
  stale: boolean
  onGo: (pages: CursorPages) => void
}) {
  if (!hasPrevious(pages) && !nextCursor) return null
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-2">
      <p className="text-sm text-muted-foreground">Page {pageNumber(pages)}</p>
      <div className="flex gap-2">
        <Button variant="outline" size="sm" disabled={!hasPrevious(pages)} onClick={() => onGo(previousPage(pages))}>
          <ChevronLeftIcon aria-hidden="true" />
          Previous
        </Button>
        <Button variant="outline" size="sm" disabled={!nextCursor || stale} onClick={() => onGo(nextPage(pages, nextCursor))}>
          Next
          <ChevronRightIcon aria-hidden="true" />
        </Button>
      </div>
    </nav>
  )
}
