import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useMe } from '@/features/auth/data/api'
import { notificationKeys } from '@/features/notifications/data/keys'
import { createLiveConnection } from '@/lib/live/connection'
import { keysForChange, keysForNotification } from './data/invalidation'
import { liveEventNames, parseLiveMessage, type LiveMessage } from './data/message'
import { setLiveStatus } from './data/status'

/** Changes arriving this close together are refreshed with one refetch per query. */
const batchWindowMs = 50

/**
 * The app's one connection to GET /api/v1/stream, for every organization the user belongs to. Change events
 * make the affected queries stale (an open board refetches and shows a teammate's move), notifications bump
 * the unread count and refresh the inbox. A reconnect resumes from the last event seen; when the server cannot
 * replay (`reset`) or there is nothing to resume from, everything is refetched. Renders nothing; mounted once
 * by the app shell.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient()
  const { data: me } = useMe()
  const userId = me?.user.id
  // Read at event time, so a change of user doesn't need a new connection.
  const userRef = useRef(userId)
  useEffect(() => {
    userRef.current = userId
  }, [userId])

  useEffect(() => {
    const batch = createBatch(queryClient)
    const connection = createLiveConnection({
      url: '/api/v1/stream',
      events: [...liveEventNames],
      onStatus: setLiveStatus,
      // A resumed stream replays what was missed (or sends `reset`); otherwise nothing says what changed.
      onReconnect: (resumed) => {
        if (!resumed) void queryClient.invalidateQueries()
      },
      onEvent: ({ name, data }) => {
        if (name === 'reset') {
          void queryClient.invalidateQueries()
          return
        }
        const message = parseLiveMessage(data)
        if (!message) return
        if (name === 'notification') onNotification(queryClient, message, batch)
        else batch.add(keysForChange(message), message.actor_id !== undefined && message.actor_id === userRef.current)
      },
    })
    const online = () => connection.retryNow()
    window.addEventListener('online', online)
    return () => {
      window.removeEventListener('online', online)
      connection.close()
      batch.cancel()
      setLiveStatus('connecting')
    }
  }, [queryClient])

  return null
}

/** Counts the new notification at once (the bell moves before the refetch lands), then refreshes the inbox. */
function onNotification(queryClient: QueryClient, m: LiveMessage, batch: Batch) {
  queryClient.setQueryData<{ unread_count: number }>(notificationKeys.unreadCount(m.org_id), (previous) =>
    previous ? { ...previous, unread_count: previous.unread_count + 1 } : previous,
  )
  batch.add(keysForNotification(m), false)
}

interface Batch {
  add(keys: QueryKey[], own: boolean): void
  cancel(): void
}

/**
 * Gathers the keys of a burst of events and invalidates each once. The user's own changes were already
 * refetched by the mutation that made them: for those an in-flight refetch is reused instead of restarted.
 */
function createBatch(queryClient: QueryClient): Batch {
  const pending = new Map<string, { key: QueryKey; own: boolean }>()
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    timer = undefined
    for (const { key, own } of pending.values()) {
      void queryClient.invalidateQueries({ queryKey: key }, { cancelRefetch: !own })
    }
    pending.clear()
  }
  return {
    add(keys, own) {
      for (const key of keys) {
        const id = JSON.stringify(key)
        const seen = pending.get(id)
        pending.set(id, { key, own: own && (seen?.own ?? true) })
      }
      timer ??= setTimeout(flush, batchWindowMs)
    },
    cancel() {
      if (timer) clearTimeout(timer)
      pending.clear()
    },
  }
}
