import { Outlet } from 'react-router'
import { ApiError } from '@/api/errors'
import { FullPageError, FullPageLoading } from '@/components/layout/full-page'
import { useMe } from './data/api'

/** Renders its child routes only for a signed-in user; the query client redirects the rest. */
export function RequireAuth() {
  const me = useMe()
  if (me.isPending) return <FullPageLoading />
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) return <FullPageLoading />
    return <FullPageError error={me.error} onRetry={() => void me.refetch()} />
  }
  return <Outlet />
}
