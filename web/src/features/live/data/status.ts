import { useSyncExternalStore } from 'react'
import type { LiveStatus } from '@/lib/live/connection'

// One stream per app, so its status is one value shared by every component that asks.
let current: LiveStatus = 'connecting'
const listeners = new Set<() => void>()

/** Records the stream's status (called by LiveUpdates only). */
export function setLiveStatus(status: LiveStatus) {
  if (status === current) return
  current = status
  for (const listener of listeners) listener()
}

/** The live stream's status; components re-render when it changes. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => current,
  )
}
