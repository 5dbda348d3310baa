import { describe, expect, it } from 'vitest'
import { ApiError, fieldErrorsOf, networkError, parseProblem, parseRetryAfter } from './errors'

describe('parseProblem', () => {
  it('reads a validation problem into field errors keyed by body field', () => {
    const error = parseProblem(
      422,
      {
        title: 'Unprocessable Entity',
        status: 422,
        detail: 'validation failed',
        code: 'validation_failed',
        errors: [
          { message: 'expected string to be RFC 5322 email', location: 'body.email', value: 'nope' },
          { message: 'expected length >= 1', location: 'body.name', value: '' },
          { message: 'a second message for email', location: 'body.email' },
        ],
      },
      new Headers({ 'X-Request-Id': 'req-123' }),
    )
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(422)
    expect(error.code).toBe('validation_failed')
    expect(error.detail).toBe('validation failed')
    expect(error.requestId).toBe('req-123')
    expect(error.fieldErrors).toEqual({
      email: 'expected string to be RFC 5322 email',
      name: 'expected length >= 1',
    })
  })

  it('keeps locations outside the body whole', () => {
    expect(fieldErrorsOf([{ message: 'too big', location: 'query.limit' }])).toEqual({ 'query.limit': 'too big' })
    expect(fieldErrorsOf([{ message: 'bad json', location: 'body' }])).toEqual({})
  })

  it('reads Retry-After on a 429', () => {
    const error = parseProblem(
      429,
      { title: 'Too Many Requests', status: 429, detail: 'slow down', code: 'rate_limited' },
      new Headers({ 'Retry-After': '17' }),
    )
    expect(error.code).toBe('rate_limited')
    expect(error.retryAfter).toBe(17)
  })

  it('falls back to a code from the status when the body is not problem+json', () => {
    const error = parseProblem(404, '404 page not found')
    expect(error.code).toBe('not_found')
    expect(error.detail).toBe('404 page not found')
    expect(error.errors).toEqual([])
    expect(error.isServerError).toBe(false)
  })

  it('treats 5xx and a missing body as a server error without leaking HTML', () => {
    const error = parseProblem(502, `<html>${'x'.repeat(400)}</html>`)
    expect(error.isServerError).toBe(true)
    expect(error.code).toBe('internal_error')
    expect(error.detail).toBe('Server error')
  })

  it('ignores malformed entries in errors', () => {
    const error = parseProblem(422, { code: 'validation_failed', errors: [null, { message: 1 }, { message: 'ok', location: 'body.phone' }] })
    expect(error.fieldErrors).toEqual({ phone: 'ok' })
  })
})

describe('networkError', () => {
  it('has status 0 and counts as a server error', () => {
    const error = networkError(new TypeError('Failed to fetch'))
    expect(error.status).toBe(0)
    expect(error.code).toBe('network_error')
    expect(error.isServerError).toBe(true)
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('5', now)).toBe(5)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
