import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { showUpgradePrompt } from '@/features/billing/data/upgrade-prompt'
import { orgAccessBlockFrom, reportOrgAccessBlock } from '@/lib/org-access-block'
import { signInPath } from '@/lib/redirect'

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** A 401 here is an answer for the screen (wrong password), not an expired session. */
      unauthorizedIsExpected?: boolean
    }
  }
}

/**
 * The one error policy for every query and mutation:
 * 401 → drop all cached data and go to sign-in, coming back afterwards;
 * 5xx or no answer → a toast quoting the request id;
 * 402 plan_limit_reached → the upgrade prompt; 402 subscription_restricted → a toast and the read-only banner;
 * 403 sso_required or ip_not_allowed → the organization's boundary explains it instead of the page;
 * other 4xx → left to the screen (field errors, not-found pages), never retried.
 */
export function createQueryClient(navigate: (path: string) => void): QueryClient {
  const onUnauthorized = () => {
    const here = window.location.pathname + window.location.search
    if (here.startsWith('/sign-in') || here.startsWith('/sign-up')) return
    navigate(signInPath(here))
    queryClient.clear()
  }

  const onError = (error: unknown, unauthorizedIsExpected = false) => {
    if (!(error instanceof ApiError)) return
    const block = orgAccessBlockFrom(error, window.location.pathname)
    if (error.status === 401 && !unauthorizedIsExpected) onUnauthorized()
    else if (block) reportOrgAccessBlock(block)
    else if (error.isServerError) reportServerError(error)
    else if (error.code === 'plan_limit_reached') {
      showUpgradePrompt({ ...(error.quota ?? { metric: '', limit: null, usage: null, plan: '' }), detail: error.detail })
    } else if (error.code === 'subscription_restricted') {
      // The banner reads the billing state; refetch it so it appears at once.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[2] === 'billing' })
      toast.error('This organization is read-only', { id: 'subscription-restricted', description: error.detail })
    }
  }

  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onError(error) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => onError(error, mutation.meta?.unauthorizedIsExpected),
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failureCount, error) => {
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
          return failureCount < 2
        },
      },
      mutations: { retry: false },
    },
  })
  return queryClient
}

function reportServerError(error: ApiError) {
  const description =
    error.status === 0 ? error.detail : error.requestId ? `Request ID: ${error.requestId}` : 'Please try again in a moment.'
  toast.error('Something went wrong', { id: `server-error-${error.requestId ?? error.status}`, description })
}
