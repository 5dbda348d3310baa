import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from 'react-router/dom'
import { Toaster } from 'sonner'
import { OfflineBanner } from '@/components/offline-banner'
import { createQueryClient } from './query-client'
import { router } from './router'

const queryClient = createQueryClient((path) => {
  void router.navigate(path, { replace: true })
})

/** The whole app: data cache, routes and toasts. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <OfflineBanner />
      <Toaster richColors closeButton position="bottom-right" />
    </QueryClientProvider>
  )
}
