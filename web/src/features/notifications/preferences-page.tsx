import { useSearchParams } from 'react-router'
import { ListLoadError } from '@/components/list-page'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { AccountHeader } from '@/features/account/components/account-nav'
import { useMe } from '@/features/auth/data/api'
import { preferredOrgId } from '@/lib/last-org'
import { useTitle } from '@/lib/use-title'
import { PreferenceMatrix } from './components/preference-matrix'
import { PushDeviceCard } from './components/push-device-card'
import { useNotificationPreferences } from './data/preferences'

/**
 * /account/notifications — what you are told about, and how, per organization (?org=, else the one you last
 * worked in): the type × channel matrix and web push on this browser.
 */
export function NotificationPreferencesPage() {
  useTitle('Notification preferences')
  const { data: me } = useMe()
  const [params, setParams] = useSearchParams()
  const memberships = me?.memberships ?? []
  const asked = params.get('org')
  const orgId = memberships.some((m) => m.organization.id === asked) ? (asked ?? undefined) : preferredOrgId(memberships)

  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <AccountHeader description="What you are told about, and where: in the app, by email or as push notifications." />
      {memberships.length > 1 && orgId && (
        <div className="grid gap-2 sm:max-w-sm">
          <Label htmlFor="preferences-org">Organization</Label>
          <Select value={orgId} onValueChange={(id) => setParams({ org: id }, { replace: true })}>
            <SelectTrigger id="preferences-org">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {memberships.map((m) => (
                <SelectItem key={m.organization.id} value={m.organization.id}>
                  {m.organization.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
      )}
      {!me ? (
        <Skeleton className="h-64 w-full" aria-label="Loading notification preferences" />
      ) : !orgId ? (
        <p className="rounded-lg border bg-card p-8 text-center text-sm text-muted-foreground">
          Join or create an organization to choose its notifications.
        </p>
      ) : (
        <OrgPreferences key={orgId} orgId={orgId} />
      )}
    </div>
  )
}

/** The matrix and the push switch of one organization. */
function OrgPreferences({ orgId }: { orgId: string }) {
  const prefs = useNotificationPreferences(orgId)
  return (
    <>
      <Card>
        <CardHeader className="px-3 sm:px-6">
          <CardTitle className="text-lg">Notifications</CardTitle>
          <CardDescription>Tick where each kind of notification reaches you.</CardDescription>
        </CardHeader>
        <CardContent className="px-3 sm:px-6">
          {prefs.isPending ? (
            <Skeleton className="h-64 w-full" aria-label="Loading notification preferences" />
          ) : prefs.isError ? (
            <ListLoadError what="your notification preferences" error={prefs.error} onRetry={() => void prefs.refetch()} />
          ) : (
            <PreferenceMatrix orgId={orgId} prefs={prefs.data.data} />
          )}
        </CardContent>
      </Card>
      <PushDeviceCard orgId={orgId} />
    </>
  )
}
