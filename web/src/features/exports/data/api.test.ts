import { describe, expect, it } from 'vitest'
import { exportFilters, isRunning, type Export } from './api'

describe('exportFilters', () => {
  it('keeps only set filters, as strings', () => {
    expect(exportFilters({ q: 'acme', status: undefined, from: '', page: 2, billable: false, cursor: null })).toEqual({
      q: 'acme',
      page: '2',
      billable: 'false',
    })
  })
})

describe('isRunning', () => {
  it('is true until the export is ready or failed', () => {
    const e = (status: Export['status']) => ({ status }) as Export
    expect(isRunning(e('pending'))).toBe(true)
    expect(isRunning(e('running'))).toBe(true)
    expect(isRunning(e('ready'))).toBe(false)
    expect(isRunning(e('failed'))).toBe(false)
    expect(isRunning(undefined)).toBe(false)
  })
})
