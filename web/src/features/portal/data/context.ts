import { createContext, useContext } from 'react'
import type { PortalScope } from './scope'

/** The open portal's scope, provided by PortalLayout. */
export const PortalScopeContext = createContext<PortalScope | null>(null)

/** The open portal's scope (organization and previewed client); only inside PortalLayout. */
export function usePortalScope(): PortalScope {
  const scope = useContext(PortalScopeContext)
  if (!scope) throw new Error('usePortalScope outside PortalLayout')
  return scope
}
