import { Navigate } from 'react-router'
import { homePath } from '@/lib/last-org'
import { useMe } from './data/api'

/** "/" opens the remembered organization, the first one, or onboarding. */
export function HomeRedirect() {
  const { data } = useMe()
  if (!data) return null
  return <Navigate to={homePath(data.memberships)} replace />
}
