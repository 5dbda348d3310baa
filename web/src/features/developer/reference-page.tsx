import { lazy, Suspense } from 'react'
import { Skeleton } from '@/components/ui/skeleton'
import { useTitle } from '@/lib/use-title'
import { ReferenceBoundary } from './components/reference-boundary'

// Everything on the page loads on demand, so the app's main bundle carries none of it.
const ReferenceGuide = lazy(() => import('./components/reference-guide'))

/** /developer — public: getting started with API keys and webhooks, signature checks, and the full API reference. */
export function DeveloperPage() {
  useTitle('API reference')
  return (
    <ReferenceBoundary what="the developer documentation">
      <Suspense
        fallback={
          <div className="mx-auto grid max-w-5xl gap-4 px-4 py-8 sm:px-6" aria-busy="true" aria-label="Loading the developer documentation">
            <Skeleton className="h-8 w-64" />
            <Skeleton className="h-40 w-full" />
            <Skeleton className="h-96 w-full" />
          </div>
        }
      >
        <ReferenceGuide />
      </Suspense>
    </ReferenceBoundary>
  )
}
