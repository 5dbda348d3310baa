import { networkError, parseProblem } from '@/api/errors'

/**
 * A JSON call to an API route the generated client does not type yet (the portal and white-label routes
 * land in the OpenAPI document with the server side). Same credentials and error handling as `api`:
 * resolves to the parsed body (undefined for 204), throws an ApiError with the problem+json answer.
 */
export async function requestJson<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, init: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
  let body: BodyInit | undefined
  if (init.body instanceof FormData) body = init.body
  else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(init.body)
  }
  let response: Response
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: init.signal })
  } catch (cause) {
    if (init.signal?.aborted) throw cause
    throw networkError(cause)
  }
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    // A non-JSON answer (a proxy's error page) stays text for the problem.
  }
  if (!response.ok) throw parseProblem(response.status, parsed, response.headers)
  return parsed as T
}
