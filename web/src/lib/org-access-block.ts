import { useSyncExternalStore } from 'react'
import { ApiError } from '@/api/errors'

/**
 * An organization refusing this session as a whole: it requires signing in through its IdP (sso_required),
 * or the request came from outside its IP allowlist (ip_not_allowed). Any of its routes may answer so; the
 * query client reports it here and the organization's boundary (or its client portal) shows a page for it
 * instead of the screen.
 */
export interface OrgAccessBlock {
  orgId: string
  code: 'sso_required' | 'ip_not_allowed'
  detail: string
  requestId?: string
}

/** The organization ID in an app path (/orgs/:orgId/… or its client portal), or null outside one. */
export function orgIdFromPath(pathname: string): string | null {
  return /^\/(?:orgs|client-portal)\/([^/]+)/.exec(pathname)?.[1] ?? null
}

/** The block an API error stands for, for the organization of `pathname`; null for any other error. */
export function orgAccessBlockFrom(error: unknown, pathname: string): OrgAccessBlock | null {
  if (!(error instanceof ApiError) || error.status !== 403) return null
  const code = error.code === 'sso_required' ? 'sso_required' : error.code === 'ip_not_allowed' ? 'ip_not_allowed' : null
  const orgId = orgIdFromPath(pathname)
  return code && orgId ? { orgId, code, detail: error.detail, requestId: error.requestId } : null
}

let current: OrgAccessBlock | null = null
const listeners = new Set<() => void>()

function publish(block: OrgAccessBlock | null) {
  current = block
  for (const listener of listeners) listener()
}

/** Records a block answered by any request (see createQueryClient). */
export function reportOrgAccessBlock(block: OrgAccessBlock) {
  if (current?.orgId === block.orgId && current.code === block.code && current.detail === block.detail) return
  publish(block)
}

/** Forgets the block, before trying the organization again. */
export function clearOrgAccessBlock() {
  if (current) publish(null)
}

/** The block reported for `orgId`, if any. */
export function useOrgAccessBlock(orgId: string): OrgAccessBlock | null {
  const block = useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => current,
  )
  return block?.orgId === orgId ? block : null
}
