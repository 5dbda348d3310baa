// ClientFlow's service worker: shows Web Push notifications and opens their link on click. Nothing is
// cached here (the app is served fresh by the API); the worker exists only for push.
// Payload (sent by the worker's push activity): {"id", "title", "body", "link"}, link being an app path.

self.addEventListener('install', () => {
  // A new version takes over at once: there is no cached state an older page could depend on.
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim())
})

self.addEventListener('push', (event) => {
  const message = readPayload(event.data)
  event.waitUntil(
    self.registration.showNotification(message.title || 'ClientFlow', {
      body: message.body || '',
      icon: '/favicon.svg',
      // One entry per notification: a redelivered push replaces its own entry instead of adding another.
      tag: message.id || undefined,
      data: { link: message.link || '/' },
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const target = new URL(event.notification.data?.link || '/', self.location.origin)
  // Only the app's own pages are opened from a notification.
  if (target.origin !== self.location.origin) return
  event.waitUntil(openOrFocus(target.href))
})

/** The push message's JSON; a payload that isn't JSON is shown as the body. */
function readPayload(data) {
  if (!data) return {}
  try {
    const value = data.json()
    return value && typeof value === 'object' ? value : {}
  } catch {
    return { body: data.text() }
  }
}

/** Focuses an open tab of the app and takes it to href, or opens a new one. */
async function openOrFocus(href) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
  const exact = windows.find((w) => w.url === href)
  if (exact) return exact.focus()
  for (const w of windows) {
    if (new URL(w.url).origin !== self.location.origin) continue
    try {
      const focused = await w.focus()
      return await focused.navigate(href)
    } catch {
      // A tab this worker does not control cannot be navigated: open a new one instead.
      break
    }
  }
  return self.clients.openWindow(href)
}
