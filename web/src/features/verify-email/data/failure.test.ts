import { describe, expect, it } from 'vitest'
import { networkError, parseProblem } from '@/api/errors'
import { verifyFailure } from './failure'

describe('verifyFailure', () => {
  it('treats a missing token as a broken link', () => {
    expect(verifyFailure(null)).toEqual({ message: 'This verification link is incomplete: it has no token.', retryable: false })
  })

  it("quotes the server's detail for an invalid or expired token", () => {
    const error = parseProblem(422, { status: 422, code: 'validation_failed', detail: 'This verification link is invalid or has expired.' })
    expect(verifyFailure(error)).toEqual({ message: 'This verification link is invalid or has expired.', retryable: false })
  })

  it('does not show raw field errors (a token the schema rejects)', () => {
    const error = parseProblem(422, {
      status: 422,
      detail: 'validation failed',
      errors: [{ message: 'expected length <= 200', location: 'body.token' }],
    })
    expect(verifyFailure(error)).toEqual({ message: 'This verification link is invalid or has expired.', retryable: false })
  })

  it('lets the user retry after a rate limit, saying how long to wait', () => {
    const error = parseProblem(429, { status: 429, detail: 'slow down' }, new Headers({ 'Retry-After': '7' }))
    expect(verifyFailure(error)).toEqual({ message: 'Too many attempts, try again in 7 s.', retryable: true })
  })

  it('lets the user retry after server and network failures', () => {
    expect(verifyFailure(parseProblem(500, {})).retryable).toBe(true)
    expect(verifyFailure(networkError(new TypeError('offline')))).toEqual({
      message: 'Could not reach the server. Check your connection and try again.',
      retryable: true,
    })
  })
})
