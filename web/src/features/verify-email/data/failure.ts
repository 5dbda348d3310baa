import { ApiError } from '@/api/errors'
import { tooManyAttemptsMessage } from '@/lib/form-errors'

/** Why a verify-email attempt failed, in words for the page, and whether trying again can help. */
export interface VerifyFailure {
  message: string
  /** True when the link may still be good (rate limit, server or network trouble). */
  retryable: boolean
}

const invalidLink = 'This verification link is invalid or has expired.'

/** Describes a failed verification; `null` stands for a link without a token. */
export function verifyFailure(error: unknown): VerifyFailure {
  if (error === null) return { message: 'This verification link is incomplete: it has no token.', retryable: false }
  if (!(error instanceof ApiError)) return { message: 'Something went wrong. Please try again.', retryable: true }
  if (error.status === 429) return { message: `${tooManyAttemptsMessage(error)}.`, retryable: true }
  if (error.isServerError) {
    return { message: error.status === 0 ? error.detail : "We couldn't verify your email address right now. Please try again.", retryable: true }
  }
  // 422 (and any other 4xx): the token itself is bad; the server's detail says so in its own words.
  return { message: error.status === 422 && error.errors.length === 0 ? error.detail : invalidLink, retryable: false }
}
