/** One field-level problem, as found in a problem+json `errors` array. */
export interface ProblemFieldError {
  message: string
  location: string
  value?: unknown
}

/** Codes the SPA reacts to; the API may send others. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'network_error'
  | 'plan_limit_reached'
  | 'subscription_restricted'
  | 'subscription_exists'
  | 'sso_required'
  | 'ip_not_allowed'
  | (string & {})

const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
}

/** The extension members of a plan_limit_reached problem. */
export interface PlanQuota {
  metric: string
  limit: number | null
  usage: number | null
  plan: string
}

/** An API call that did not succeed: an HTTP error carrying its problem+json body, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: ErrorCode
  readonly title: string
  readonly detail: string
  readonly errors: ProblemFieldError[]
  /** The server's X-Request-Id, to quote in bug reports. */
  readonly requestId?: string
  /** Seconds to wait, from Retry-After on 429 answers. */
  readonly retryAfter?: number
  /** What limit a plan_limit_reached answer hit. */
  readonly quota?: PlanQuota

  constructor(init: {
    status: number
    code: ErrorCode
    title: string
    detail: string
    errors?: ProblemFieldError[]
    requestId?: string
    retryAfter?: number
    quota?: PlanQuota
  }) {
    super(init.detail || init.title)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.title = init.title
    this.detail = init.detail
    this.errors = init.errors ?? []
    this.requestId = init.requestId
    this.retryAfter = init.retryAfter
    this.quota = init.quota
  }

  /** True for answers the server gives when it failed, and for requests that never got an answer. */
  get isServerError(): boolean {
    return this.status === 0 || this.status >= 500
  }

  /** Messages keyed by request-body field ("body.email" → "email"). */
  get fieldErrors(): Record<string, string> {
    return fieldErrorsOf(this.errors)
  }
}

/** Builds an ApiError from an HTTP status, the parsed (or raw text) body and the response headers. */
export function parseProblem(status: number, body: unknown, headers?: Headers): ApiError {
  const problem = isRecord(body) ? body : {}
  const title = stringOr(problem.title, statusTitle(status))
  return new ApiError({
    status,
    code: stringOr(problem.code, codeByStatus[status] ?? (status >= 500 ? 'internal_error' : 'error')),
    title,
    detail: stringOr(problem.detail, typeof body === 'string' && body.trim() !== '' && body.length < 300 ? body.trim() : title),
    errors: Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [],
    requestId: headers?.get('X-Request-Id') ?? undefined,
    retryAfter: parseRetryAfter(headers?.get('Retry-After') ?? null),
    quota: problem.code === 'plan_limit_reached' ? quotaOf(problem) : undefined,
  })
}

function quotaOf(problem: Record<string, unknown>): PlanQuota {
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  return { metric: stringOr(problem.metric, ''), limit: num(problem.limit), usage: num(problem.usage), plan: stringOr(problem.plan, '') }
}

/** The ApiError standing for a request that got no HTTP answer at all. */
export function networkError(cause: unknown): ApiError {
  const error = new ApiError({
    status: 0,
    code: 'network_error',
    title: 'Network error',
    detail: 'Could not reach the server. Check your connection and try again.',
  })
  error.cause = cause
  return error
}

/**
 * Maps problem `errors` to a message per form field. Body locations lose their
 * "body." prefix; the first message for a field wins; locations outside the
 * body (query, path, header) are kept whole so nothing is silently dropped.
 */
export function fieldErrorsOf(errors: ProblemFieldError[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const { location, message } of errors) {
    const field = location.startsWith('body.') ? location.slice('body.'.length) : location
    if (field !== '' && field !== 'body' && !(field in fields)) fields[field] = message
  }
  return fields
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - now) / 1000))
}

function statusTitle(status: number): string {
  if (status >= 500) return 'Server error'
  return 'Request failed'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}

function isFieldError(value: unknown): value is ProblemFieldError {
  return isRecord(value) && typeof value.message === 'string' && typeof value.location === 'string'
}
