/** The first reconnect waits up to this long. */
export const firstDelayMs = 1_000
/** No reconnect waits longer than this. */
export const maxDelayMs = 30_000

/**
 * How long to wait before reconnect number `attempt` (0 for the first after a drop): exponential backoff with
 * full jitter. The ceiling doubles from 1 s to 30 s and the wait is drawn uniformly between 1 s and that ceiling,
 * so thousands of browsers cut off by one API restart come back spread out instead of all at once.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const step = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0
  // 2^5 already passes the cap: clamping the exponent keeps huge attempt counts from overflowing to Infinity.
  const ceiling = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(step, 16))
  return Math.round(firstDelayMs + random() * (ceiling - firstDelayMs))
}
