import createClient from 'openapi-fetch'
import { networkError, parseProblem } from './errors'
import type { paths } from './schema'

/**
 * The typed API client. Paths, parameters and bodies are checked against the
 * generated schema; the session cookie rides along on same-origin requests.
 */
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { Accept: 'application/json, application/problem+json' },
  fetch: async (request) => {
    try {
      return await globalThis.fetch(request)
    } catch (cause) {
      throw networkError(cause)
    }
  },
})

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/** Resolves to the response body, or throws an ApiError carrying the problem+json answer. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok) throw parseProblem(response.status, error, response.headers)
  return data as T
}
