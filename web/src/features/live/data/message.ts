import type { components } from '@/api/schema'

/**
 * One message of GET /api/v1/stream (a `change` or `notification` event): ids and types only, never
 * contents, so the app refetches what it shows.
 */
export type LiveMessage = components['schemas']['StreamEvent']

/** The SSE event names the stream sends. */
export const liveEventNames = ['change', 'notification', 'reset'] as const

/** Reads an event's JSON data; anything without an organization is not for this app and yields null. */
export function parseLiveMessage(data: string): LiveMessage | null {
  try {
    const value: unknown = JSON.parse(data)
    if (typeof value !== 'object' || value === null) return null
    const m = value as Partial<LiveMessage>
    if (typeof m.org_id !== 'string' || !m.org_id || typeof m.type !== 'string') return null
    return m as LiveMessage
  } catch {
    return null
  }
}
