import { describe, expect, it } from 'vitest'
import { formatDate } from '@/lib/format'
import { timeAgo } from './time'

const now = Date.parse('2026-12-07T12:00:00Z')
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString()
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

describe('timeAgo', () => {
  it('says how long ago, in the largest unit that fits', () => {
    expect(timeAgo(ago(10), now)).toBe(relative.format(0, 'second'))
    expect(timeAgo(ago(5 * 60), now)).toBe(relative.format(-5, 'minute'))
    expect(timeAgo(ago(3 * 3600), now)).toBe(relative.format(-3, 'hour'))
    expect(timeAgo(ago(26 * 3600), now)).toBe(relative.format(-1, 'day'))
  })

  it('shows the date after a week, and nothing for a bad timestamp', () => {
    expect(timeAgo(ago(10 * 86400), now)).toBe(formatDate(ago(10 * 86400)))
    expect(timeAgo('yesterday', now)).toBe('')
  })
})
