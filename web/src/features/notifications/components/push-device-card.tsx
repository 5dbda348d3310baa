import { useQuery } from '@tanstack/react-query'
import { BellRingIcon } from 'lucide-react'
import { useId } from 'react'
import { FormAlert } from '@/components/form-alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { configQuery } from '@/features/auth/data/api'
import { pushUnsupportedReason, useDisablePush, useEnablePush, usePushSubscription } from '../data/push'

/**
 * The switch for web push on this browser: on registers the service worker, subscribes with the server's
 * VAPID key and hands the subscription to the organization; off deletes it there. Which types arrive by
 * push is the Push column of the matrix.
 */
export function PushDeviceCard({ orgId }: { orgId: string }) {
  const config = useQuery(configQuery)
  const vapidKey = config.data?.vapid_public_key
  const unsupported = config.data ? pushUnsupportedReason(vapidKey) : null
  const subscription = usePushSubscription(orgId, Boolean(config.data) && !unsupported)
  const enable = useEnablePush(orgId)
  const disable = useDisablePush(orgId)
  const hint = useId()
  const subscribedId = subscription.data?.id ?? null
  const busy = enable.isPending || disable.isPending || subscription.isPending
  const error = enable.error ?? disable.error ?? subscription.error

  const toggle = (on: boolean) => {
    if (on && vapidKey) enable.mutate(vapidKey)
    else if (!on && subscribedId) disable.mutate(subscribedId)
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-lg">
          <BellRingIcon aria-hidden="true" className="size-5" />
          Push notifications on this device
        </CardTitle>
        <CardDescription>Get the types ticked under Push as system notifications, even when ClientFlow isn't open.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {unsupported ? (
          <p className="text-sm text-muted-foreground">{unsupported}</p>
        ) : (
          <>
            <label className="flex items-center gap-3 text-sm font-medium">
              <input
                type="checkbox"
                role="switch"
                className="size-4 accent-primary"
                aria-describedby={hint}
                checked={subscribedId !== null}
                disabled={!config.data || busy}
                onChange={(e) => toggle(e.target.checked)}
              />
              Send push notifications to this browser
            </label>
            <p id={hint} className="text-sm text-muted-foreground" aria-live="polite">
              {busy ? 'Updating…' : subscribedId ? 'This browser receives push notifications.' : 'This browser receives no push notifications.'}
            </p>
          </>
        )}
        <FormAlert message={error?.message} />
      </CardContent>
    </Card>
  )
}
