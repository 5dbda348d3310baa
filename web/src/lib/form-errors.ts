import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import { ApiError } from '@/api/errors'

/**
 * Puts a failed request's problems onto the form: each field error under its
 * field, everything else as one form-level message (`root.server`). Server
 * failures (5xx, network) are toasted by the query client, so they only
 * clear the form's busy state here.
 */
export function showApiErrorOnForm<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): void {
  if (!(error instanceof ApiError)) {
    setError('root.server', { message: 'Something went wrong. Please try again.' })
    return
  }
  if (error.isServerError) return
  const leftover: string[] = []
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    const known = fields.find((f) => f === field)
    if (known) setError(known, { type: 'server', message }, { shouldFocus: true })
    else leftover.push(message)
  }
  if (error.errors.length === 0) leftover.push(error.detail)
  if (leftover.length > 0) setError('root.server', { message: leftover.join(' ') })
}

/** "Too many attempts, try again in 30 s", from a 429's Retry-After. */
export function tooManyAttemptsMessage(error: ApiError): string {
  return error.retryAfter !== undefined
    ? `Too many attempts, try again in ${error.retryAfter} s`
    : 'Too many attempts, try again in a moment'
}
