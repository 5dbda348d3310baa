/** The message a test-sign-in popup posts to the settings page that opened it. */
export interface SSOTestResult {
  type: 'clientflow:sso-test'
  orgId: string
  ok: boolean
  /** The address the IdP vouched for, on success. */
  email?: string
  /** Why the test failed, fit to show. */
  error?: string
}

/** The test result the IdP round trip left in the settings page's URL (?sso_test=ok&email= or ?sso_error=), if any. */
export function ssoTestResultFromSearch(params: URLSearchParams, orgId: string): SSOTestResult | null {
  const error = params.get('sso_error')
  if (error !== null) return { type: 'clientflow:sso-test', orgId, ok: false, error: error || 'The test sign-in failed.' }
  if (params.get('sso_test') === 'ok') return { type: 'clientflow:sso-test', orgId, ok: true, email: params.get('email') ?? '' }
  return null
}

/** The URL without the test result's parameters, for replacing history once the result is shown. */
export function withoutSSOTestParams(params: URLSearchParams): URLSearchParams {
  const rest = new URLSearchParams(params)
  for (const name of ['sso_test', 'sso_error', 'email']) rest.delete(name)
  return rest
}

/**
 * A message event's test result, when it came from this site about this organization; anything else
 * (another origin, another organization, other messages) is null.
 */
export function ssoTestResultFromMessage(event: { origin: string; data: unknown }, origin: string, orgId: string): SSOTestResult | null {
  if (event.origin !== origin) return null
  const data = event.data
  if (typeof data !== 'object' || data === null) return null
  const d = data as Record<string, unknown>
  if (d.type !== 'clientflow:sso-test' || d.orgId !== orgId || typeof d.ok !== 'boolean') return null
  return {
    type: 'clientflow:sso-test',
    orgId,
    ok: d.ok,
    email: typeof d.email === 'string' ? d.email : undefined,
    error: typeof d.error === 'string' ? d.error : undefined,
  }
}

/**
 * The window that opened this one, when it is this site's (a test-sign-in popup); null otherwise. Reading
 * another origin's location throws, which also means "not ours".
 */
export function sameOriginOpener(win: Window): Window | null {
  const opener = win.opener as Window | null
  if (!opener || opener === win) return null
  try {
    return opener.location.origin === win.location.origin ? opener : null
  } catch {
    return null
  }
}
