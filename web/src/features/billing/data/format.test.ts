import { describe, expect, it } from 'vitest'
import { daysLeft, formatMoney, formatUsage, planAction, usagePercent } from './format'

describe('billing format', () => {
  it('shows storage in binary units and other metrics as counts', () => {
    expect(formatUsage('storage_bytes', 2147483648)).toBe('2 GB')
    expect(formatUsage('storage_bytes', 1536)).toBe('1.5 KB')
    expect(formatUsage('clients', 20)).toBe('20')
  })

  it('caps the meter at 100 per cent and has none for unlimited metrics', () => {
    expect(usagePercent(16, 20)).toBe(80)
    expect(usagePercent(25, 20)).toBe(100)
    expect(usagePercent(5, null)).toBeNull()
  })

  it('counts a started trial day as a day left and none once it passed', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(daysLeft('2026-01-15T00:00:00Z', now)).toBe(14)
    expect(daysLeft('2026-01-01T01:00:00Z', now)).toBe(1)
    expect(daysLeft('2025-12-31T00:00:00Z', now)).toBe(0)
  })

  it('formats Stripe amounts with each currency\'s exponent and keeps the sign of credits', () => {
    const plain = (text: string) => text.replace(/\s/g, ' ')
    expect(plain(formatMoney(1900, 'jpy'))).toContain('1,900')
    expect(formatMoney(1900, 'jpy')).not.toContain('19')
    expect(formatMoney(1900, 'jpy')).not.toMatch(/[.,]00/)
    expect(formatMoney(12345, 'kwd')).toContain('12.345')
    expect(formatMoney(-1950, 'usd')).toMatch(/^-|\(|−/)
    expect(formatMoney(-1950, 'usd')).toContain('19.50')
  })

  it('sends plan changes to the portal once a Stripe subscription exists', () => {
    const billing = { mode: 'stripe', status: 'active', has_subscription: false, plan: { id: 'starter' } }
    expect(planAction(billing, 'starter')).toBe('current')
    expect(planAction(billing, 'professional')).toBe('checkout')
    expect(planAction({ ...billing, has_subscription: true }, 'professional')).toBe('portal')
    expect(planAction({ ...billing, status: 'past_due', has_subscription: true }, 'starter')).toBe('portal')
    expect(planAction({ ...billing, mode: 'self_hosted' }, 'professional')).toBe('switch')
  })
})
