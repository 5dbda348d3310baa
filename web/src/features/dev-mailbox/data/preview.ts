/**
 * Helpers for showing a caught email: its verify link as an in-app path, and
 * its HTML with links that open outside the preview frame.
 */

// An absolute URL whose path is /verify-email, or that path on its own (not the tail of a longer path).
const verifyUrl = /(?:https?:\/\/[^\s<>"'/]+|(?<![^\s<>"'(]))\/verify-email\?[^\s<>"']*/gi

/**
 * The `/verify-email?token=…` path of the first verify link in an email's text,
 * or null. Only the path is kept: APP_URL's host (say localhost) may not be the
 * one this tab is on (127.0.0.1), and the app should open the link in place.
 */
export function verifyLinkPath(text: string): string | null {
  for (const match of text.matchAll(verifyUrl)) {
    let url: URL
    try {
      url = new URL(match[0].replace(/[.,;:!?)\]]+$/, ''), 'http://app.invalid')
    } catch {
      continue
    }
    const token = url.searchParams.get('token')
    if (url.pathname === '/verify-email' && token) return `/verify-email?${new URLSearchParams({ token })}`
  }
  return null
}

/**
 * The email's HTML with `<base target="_blank">` first in its head, so links
 * open in a new tab from a preview frame sandboxed with allow-popups (scripts stay off).
 */
export function withLinksInNewTab(html: string): string {
  const base = '<base target="_blank">'
  const head = /<head(?:\s[^>]*)?>/i.exec(html)
  if (head) return html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length)
  const root = /<html(?:\s[^>]*)?>/i.exec(html)
  if (root) return html.slice(0, root.index + root[0].length) + `<head>${base}</head>` + html.slice(root.index + root[0].length)
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html)
  if (doctype) return doctype[0] + base + html.slice(doctype[0].length)
  return base + html
}
