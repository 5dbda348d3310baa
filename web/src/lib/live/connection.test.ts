import { describe, expect, it } from 'vitest'
import { createLiveConnection, type EventSourceLike, type LiveEvent, type LiveStatus } from './connection'

/** A stand-in for EventSource that the test opens, fails and feeds by hand. */
class FakeSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null
  onerror: ((event: Event) => void) | null = null
  closed = false
  listeners = new Map<string, (event: MessageEvent) => void>()
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, listener)
  }
  close() {
    this.closed = true
  }
  succeed() {
    this.onopen?.(new Event('open'))
  }
  fail() {
    this.onerror?.(new Event('error'))
  }
  send(name: string, data: string, lastEventId = '') {
    this.listeners.get(name)?.({ data, lastEventId } as MessageEvent)
  }
}

/** A connection wired to fakes: every opened source, every status, every event, and the pending timer. */
function harness() {
  const sources: FakeSource[] = []
  const urls: string[] = []
  const statuses: LiveStatus[] = []
  const events: LiveEvent[] = []
  const waits: number[] = []
  let pending: (() => void) | undefined
  const reconnects: boolean[] = []
  const connection = createLiveConnection({
    url: '/api/v1/stream',
    events: ['change', 'notification', 'reset'],
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    onReconnect: (resumed) => reconnects.push(resumed),
    open: (url) => {
      urls.push(url)
      const s = new FakeSource()
      sources.push(s)
      return s
    },
    setTimer: (fn, ms) => {
      waits.push(ms)
      pending = fn
      return fn
    },
    clearTimer: () => {
      pending = undefined
    },
    random: () => 0.999_999,
  })
  const fire = () => {
    const fn = pending
    pending = undefined
    fn?.()
  }
  return { connection, sources, urls, statuses, events, waits, fire, reconnects, hasTimer: () => pending !== undefined }
}

describe('createLiveConnection', () => {
  it('opens one source and passes its events on', () => {
    const h = harness()
    h.sources[0].succeed()
    h.sources[0].send('change', '{"id":"1"}')
    h.sources[0].send('notification', '{"id":"2"}')
    expect(h.sources).toHaveLength(1)
    expect(h.statuses).toEqual(['connecting', 'open'])
    expect(h.events).toEqual([
      { name: 'change', data: '{"id":"1"}' },
      { name: 'notification', data: '{"id":"2"}' },
    ])
    expect(h.reconnects).toEqual([])
  })

  it('closes a failed source and reopens after a growing wait', () => {
    const h = harness()
    h.sources[0].fail()
    expect(h.sources[0].closed).toBe(true)
    expect(h.statuses.at(-1)).toBe('down')
    h.fire()
    h.sources[1].fail()
    h.fire()
    h.sources[2].fail()
    expect(h.waits).toEqual([1_000, 2_000, 4_000])
    expect(h.sources).toHaveLength(3)
  })

  it('starts the backoff again after a successful reopen and asks for a refetch', () => {
    const h = harness()
    h.sources[0].succeed()
    h.sources[0].fail()
    h.fire()
    h.sources[1].fail()
    h.fire()
    h.sources[2].succeed()
    expect(h.reconnects).toEqual([false])
    expect(h.statuses.at(-1)).toBe('open')
    h.sources[2].fail()
    expect(h.waits).toEqual([1_000, 2_000, 1_000])
  })

  it('resumes from the last event id it saw', () => {
    const h = harness()
    h.sources[0].succeed()
    h.sources[0].send('change', '{}', '0192f0c5-0000-7000-8000-000000000001')
    h.sources[0].send('reset', '{}')
    h.sources[0].fail()
    h.fire()
    h.sources[1].succeed()
    expect(h.urls).toEqual(['/api/v1/stream', '/api/v1/stream?last_event_id=0192f0c5-0000-7000-8000-000000000001'])
    expect(h.reconnects).toEqual([true])
  })

  it('ignores a replaced source', () => {
    const h = harness()
    const old = h.sources[0]
    old.fail()
    h.fire()
    old.send('change', 'late')
    old.fail()
    expect(h.events).toEqual([])
    expect(h.sources).toHaveLength(2)
  })

  it('reconnects at once on retryNow while waiting, and does nothing while open', () => {
    const h = harness()
    h.sources[0].succeed()
    h.connection.retryNow()
    expect(h.sources).toHaveLength(1)
    h.sources[0].fail()
    h.connection.retryNow()
    expect(h.sources).toHaveLength(2)
    expect(h.hasTimer()).toBe(false)
  })

  it('stops for good on close', () => {
    const h = harness()
    h.sources[0].fail()
    h.connection.close()
    expect(h.hasTimer()).toBe(false)
    h.connection.retryNow()
    expect(h.sources).toHaveLength(1)

    const open = harness()
    open.connection.close()
    expect(open.sources[0].closed).toBe(true)
  })
})
