import { Navigate } from 'react-router'
import { FullPageLoading } from '@/components/layout/full-page'
import { homePath } from '@/lib/last-org'
import { useMe } from './data/api'

/** "/" opens the remembered organization, the first one, or onboarding. */
export function HomeRedirect() {
  const { data } = useMe()
  if (!data) return null
  // The skeleton stays while the router loads the destination's code.
  return (
    <>
      <FullPageLoading />
      <Navigate to={homePath(data.memberships)} replace />
    </>
  )
}
