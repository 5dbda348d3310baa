/**
 * The in-app path a notification opens, or null when its link leads elsewhere. Links are stored as paths;
 * an absolute URL on this app's own origin is accepted too (emails carry absolute links), anything else is
 * not followed from the inbox.
 */
export function notificationPath(link: string | undefined, origin: string): string | null {
  if (!link) return null
  if (link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\')) return link
  try {
    const url = new URL(link)
    if (url.origin !== origin) return null
    return url.pathname + url.search + url.hash
  } catch {
    return null
  }
}
