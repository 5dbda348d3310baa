import { reconnectDelay } from './backoff'

/** Whether the live stream is up: `connecting` before the first open, `down` while waiting to reconnect. */
export type LiveStatus = 'connecting' | 'open' | 'down'

/** One server-sent event the connection listens for. */
export interface LiveEvent {
  /** The SSE event name (`change`, `notification`, `reset`). */
  name: string
  data: string
}

/** The part of EventSource the connection uses, so tests can hand in a fake. */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null
  onerror: ((event: Event) => void) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

/** What createLiveConnection needs; everything but url and the callbacks has a browser default. */
export interface LiveConnectionOptions {
  url: string
  /** Event names to listen for. */
  events: string[]
  onEvent: (event: LiveEvent) => void
  onStatus: (status: LiveStatus) => void
  /**
   * Called after every reopen. `resumed` says the stream was asked to replay what was missed since the last
   * event seen (it answers `reset` when it cannot); without it, missed events are lost and the caller refetches.
   */
  onReconnect: (resumed: boolean) => void
  open?: (url: string) => EventSourceLike
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
  random?: () => number
}

/** A running connection: `retryNow` skips the wait (the browser came back online), `close` ends it for good. */
export interface LiveConnection {
  retryNow(): void
  close(): void
}

/**
 * Keeps one EventSource open. The browser's own retry is not used: on any error the source is closed and
 * reopened after reconnectDelay (1 s to 30 s, full jitter), so a restarting API is not hammered every few
 * seconds by every open tab, and a 401 or 503 answer (which stops EventSource for good) is retried too.
 * A new EventSource sends no Last-Event-ID header, so the last event id seen goes in ?last_event_id=.
 */
export function createLiveConnection(options: LiveConnectionOptions): LiveConnection {
  const open = options.open ?? ((url: string) => new EventSource(url, { withCredentials: true }))
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms))
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>))
  let source: EventSourceLike | undefined
  let timer: unknown
  let failures = 0
  let lastEventId = ''
  let everOpened = false
  let closed = false

  const connect = () => {
    timer = undefined
    const resumed = lastEventId !== ''
    const separator = options.url.includes('?') ? '&' : '?'
    const current = open(resumed ? `${options.url}${separator}last_event_id=${encodeURIComponent(lastEventId)}` : options.url)
    source = current
    current.onopen = () => {
      if (source !== current) return
      failures = 0
      options.onStatus('open')
      if (everOpened) options.onReconnect(resumed)
      everOpened = true
    }
    current.onerror = () => {
      if (source !== current) return
      current.close()
      source = undefined
      options.onStatus('down')
      timer = setTimer(connect, reconnectDelay(failures++, options.random))
    }
    for (const name of options.events) {
      current.addEventListener(name, (event) => {
        if (source !== current) return
        if (event.lastEventId) lastEventId = event.lastEventId
        options.onEvent({ name, data: String(event.data) })
      })
    }
  }

  options.onStatus('connecting')
  connect()

  return {
    retryNow() {
      if (closed || source) return
      if (timer !== undefined) clearTimer(timer)
      connect()
    },
    close() {
      closed = true
      if (timer !== undefined) clearTimer(timer)
      timer = undefined
      source?.close()
      source = undefined
    },
  }
}
