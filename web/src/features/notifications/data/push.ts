import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { notificationKeys } from './keys'

/** Why this browser cannot get push notifications, or null when it can. */
export function pushUnsupportedReason(vapidPublicKey: string | undefined): string | null {
  if (typeof window === 'undefined' || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return 'This browser does not support push notifications.'
  }
  if (!window.isSecureContext) return 'Push notifications need the app to be opened over HTTPS.'
  if (!vapidPublicKey) return 'Push notifications are not set up on this server.'
  return null
}

/** The bytes of a base64url string (the VAPID public key), as PushManager.subscribe wants them. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(value.length / 4) * 4, '=')
  const binary = atob(base64)
  const bytes = new Uint8Array(new ArrayBuffer(binary.length))
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Whether two keys are the same bytes. */
function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false
  const view = new Uint8Array(a)
  return view.every((byte, i) => byte === b[i])
}

/** This browser's push subscription, if the service worker has one. */
async function browserSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/')
  return (await registration?.pushManager.getSubscription()) ?? null
}

/** The id under which the organization knows this browser's subscription, or null when it isn't subscribed. */
export function usePushSubscription(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.pushSubscription(orgId),
    enabled: enabled && Boolean(orgId),
    queryFn: async ({ signal }) => {
      const subscription = await browserSubscription()
      if (!subscription) return { id: null }
      const list = await unwrap(api.GET('/api/v1/orgs/{org_id}/push-subscriptions', { params: { path: { org_id: orgId } }, signal }))
      return { id: list.data.find((s) => s.endpoint === subscription.endpoint)?.id ?? null }
    },
  })
}

/**
 * Turns push on for this browser in the organization: asks for permission, registers the service worker,
 * subscribes with the server's VAPID key (again, if an older subscription used another key) and sends the
 * subscription to the API.
 */
export function useEnablePush(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (vapidPublicKey: string) => {
      const permission = await Notification.requestPermission()
      if (permission !== 'granted') throw new Error('Notifications are blocked for this site in the browser’s settings.')
      const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' })
      await navigator.serviceWorker.ready
      const key = base64UrlToBytes(vapidPublicKey)
      let subscription = await registration.pushManager.getSubscription()
      if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
        await subscription.unsubscribe()
        subscription = null
      }
      subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })
      const json = subscription.toJSON()
      return unwrap(
        api.POST('/api/v1/orgs/{org_id}/push-subscriptions', {
          params: { path: { org_id: orgId } },
          body: { endpoint: subscription.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } },
        }),
      )
    },
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.pushSubscription(orgId), { id: saved.id }),
  })
}

/**
 * Turns push off for this browser in the organization. The browser keeps its subscription: other
 * organizations may use it, and this one no longer sends to it.
 */
export function useDisablePush(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (subscriptionId: string) =>
      unwrap(
        api.DELETE('/api/v1/orgs/{org_id}/push-subscriptions/{subscription_id}', {
          params: { path: { org_id: orgId, subscription_id: subscriptionId } },
        }),
      ),
    onSuccess: () => queryClient.setQueryData(notificationKeys.pushSubscription(orgId), { id: null }),
  })
}

/**
 * Before signing out: forgets this browser's push subscription on the server, in each of organizations,
 * and in the browser, so whoever signs in here next never sees this user's pushes. Best effort and quick:
 * it gives up after timeoutMs and never throws (the server already stops pushing to a signed-out session;
 * this also frees the browser and the rows).
 */
export async function unsubscribeThisBrowser(organizations: string[], timeoutMs = 1500): Promise<void> {
  const work = async () => {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return
    const subscription = await browserSubscription()
    if (!subscription) return
    await Promise.allSettled(
      organizations.map(async (orgId) => {
        const { data } = await api.GET('/api/v1/orgs/{org_id}/push-subscriptions', { params: { path: { org_id: orgId } } })
        const mine = data?.data.filter((s) => s.endpoint === subscription.endpoint) ?? []
        await Promise.allSettled(
          mine.map((s) =>
            api.DELETE('/api/v1/orgs/{org_id}/push-subscriptions/{subscription_id}', {
              params: { path: { org_id: orgId, subscription_id: s.id } },
            }),
          ),
        )
      }),
    )
    await subscription.unsubscribe()
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([
    work().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    }),
  ])
  clearTimeout(timer)
}
