import { describe, expect, it } from 'vitest'
import { formatMoney } from '@/features/invoices/data/money'
import { daysUntil, dueByCurrency, dueLabel, formatBytes, invoiceStatusLabel, progressLabel, progressPercent, requestStatusLabel, totalsDueText } from './format'
import type { PortalInvoice } from './types'

describe('progress', () => {
  it('rounds to a whole percentage and stays within 0..100', () => {
    expect(progressPercent({ done: 1, total: 3 })).toBe(33)
    expect(progressPercent({ done: 2, total: 3 })).toBe(67)
    expect(progressPercent({ done: 5, total: 4 })).toBe(100)
    expect(progressPercent({ done: -1, total: 4 })).toBe(0)
  })
  it('is 0 with no tasks, and says so', () => {
    expect(progressPercent({ done: 0, total: 0 })).toBe(0)
    expect(progressLabel({ done: 0, total: 0 })).toBe('No tasks yet')
  })
  it('counts tasks in words', () => {
    expect(progressLabel({ done: 3, total: 8 })).toBe('3 of 8 tasks done')
    expect(progressLabel({ done: 0, total: 1 })).toBe('0 of 1 task done')
  })
})

describe('due dates', () => {
  const today = new Date(2026, 11, 7, 23, 30)
  it('counts calendar days whatever the time of day', () => {
    expect(daysUntil('2026-12-07', today)).toBe(0)
    expect(daysUntil('2026-12-08', today)).toBe(1)
    expect(daysUntil('2027-01-06', today)).toBe(30)
    expect(daysUntil('2026-12-05T10:00:00Z', today)).toBe(-2)
    expect(daysUntil('soon', today)).toBeNull()
  })
  it('reads as a person would say it', () => {
    expect(dueLabel('2026-12-07', today)).toBe('Due today')
    expect(dueLabel('2026-12-08', today)).toBe('Due tomorrow')
    expect(dueLabel('2026-12-12', today)).toBe('Due in 5 days')
    expect(dueLabel('2026-12-06', today)).toBe('1 day overdue')
    expect(dueLabel('2026-11-25', today)).toBe('12 days overdue')
  })
})

describe('money due', () => {
  it('joins every currency with something due', () => {
    const text = totalsDueText([
      { currency: 'EUR', amount: 120000 },
      { currency: 'USD', amount: 0 },
      { currency: 'JPY', amount: 5000 },
    ])
    expect(text).toBe(`${formatMoney(120000, 'EUR')} + ${formatMoney(5000, 'JPY')}`)
  })
  it('says Nothing due when all is paid', () => {
    expect(totalsDueText([])).toBe('Nothing due')
    expect(totalsDueText([{ currency: 'EUR', amount: 0 }])).toBe('Nothing due')
  })
  it('sums what unpaid invoices leave, per currency', () => {
    const invoice = (status: string, currency: string, amount_due: number) => ({ status, currency, amount_due }) as PortalInvoice
    expect(dueByCurrency([invoice('sent', 'EUR', 1000), invoice('overdue', 'EUR', 500), invoice('paid', 'EUR', 0), invoice('sent', 'USD', 700)])).toEqual([
      { currency: 'EUR', amount: 1500 },
      { currency: 'USD', amount: 700 },
    ])
  })
})

describe('statuses', () => {
  it('names invoice statuses in the client’s words', () => {
    expect(invoiceStatusLabel('sent')).toBe('Awaiting payment')
    expect(invoiceStatusLabel('overdue')).toBe('Overdue')
    expect(invoiceStatusLabel('paid')).toBe('Paid')
  })
  it('shows a request’s column until it is completed', () => {
    expect(requestStatusLabel({ status: 'In progress', completed_at: null })).toBe('In progress')
    expect(requestStatusLabel({ status: 'Done', completed_at: '2026-12-07T10:00:00Z' })).toBe('Done')
    expect(requestStatusLabel({ status: '', completed_at: null })).toBe('Received')
  })
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(12 * 1024)).toBe('12 KB')
    expect(formatBytes(3.4 * 1024 * 1024)).toBe('3.4 MB')
  })
})
