/**
 * Returns `next` when it is a path inside this app, so a crafted
 * ?next=https://evil.example can't send a signed-in user elsewhere.
 */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  if (next.startsWith('/sign-in') || next.startsWith('/sign-up')) return null
  return next
}

/** The sign-in URL that brings the user back to `path` afterwards. */
export function signInPath(path: string): string {
  const next = safeNextPath(path)
  return next && next !== '/' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'
}
