import { describe, expect, it } from 'vitest'
import { firstDelayMs, maxDelayMs, reconnectDelay } from './backoff'

const lowest = () => 0
const highest = () => 0.999_999

describe('reconnectDelay', () => {
  it('waits one second before the first reconnect', () => {
    expect(reconnectDelay(0, lowest)).toBe(firstDelayMs)
    expect(reconnectDelay(0, highest)).toBe(firstDelayMs)
  })

  it('doubles the ceiling with each failed attempt', () => {
    expect([1, 2, 3, 4].map((a) => reconnectDelay(a, highest))).toEqual([2_000, 4_000, 8_000, 16_000])
  })

  it('never waits longer than 30 seconds, however many attempts failed', () => {
    for (const attempt of [5, 6, 10, 100, 1e9, Number.MAX_SAFE_INTEGER]) {
      expect(reconnectDelay(attempt, highest)).toBe(maxDelayMs)
    }
  })

  it('never waits less than one second', () => {
    for (const attempt of [0, 3, 50, -1, Number.NaN]) {
      expect(reconnectDelay(attempt, lowest)).toBe(firstDelayMs)
    }
  })

  it('spreads the wait uniformly between one second and the ceiling (full jitter)', () => {
    expect(reconnectDelay(3, () => 0.5)).toBe(4_500)
    expect(reconnectDelay(10, () => 0.25)).toBe(8_250)
  })

  it('draws a different wait for each browser by default', () => {
    const waits = new Set(Array.from({ length: 50 }, () => reconnectDelay(6)))
    expect(waits.size).toBeGreaterThan(40)
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(firstDelayMs)
      expect(wait).toBeLessThanOrEqual(maxDelayMs)
    }
  })
})
