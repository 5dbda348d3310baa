import { AlertCircleIcon } from 'lucide-react'
import { useParams } from 'react-router'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useMe } from '@/features/auth/data/api'
import { useTitle } from '@/lib/use-title'
import { BrandingSection } from './components/branding-section'
import { DeleteOrganizationCard } from './components/delete-organization-card'
import { GeneralSettingsForm } from './components/general-settings-form'
import { SettingsHeader } from './components/settings-header'
import { TransferOwnershipCard } from './components/transfer-ownership-card'
import { useOrgSettings } from './data/api'

/** /orgs/:orgId/settings — General (editable with settings.manage, else read-only) and, for the owner, the danger zone. */
export function SettingsPage() {
  useTitle('Settings')
  const { orgId = '' } = useParams()
  const { data: me } = useMe()
  const settings = useOrgSettings(orgId)
  const membership = me?.memberships.find((m) => m.organization.id === orgId)
  const canManage = membership?.permissions.includes('settings.manage') ?? false
  const isOwner = membership?.role === 'owner'

  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <SettingsHeader orgId={orgId} description="Your organization's name, address, branding and security defaults." />
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">General</CardTitle>
          {!canManage && <CardDescription>You can view these settings; changing them needs the settings permission.</CardDescription>}
        </CardHeader>
        <CardContent>
          {settings.isPending && <SettingsSkeleton />}
          {settings.isError && (
            <Alert variant="destructive">
              <AlertCircleIcon aria-hidden="true" />
              <AlertTitle>Couldn't load the settings</AlertTitle>
              <AlertDescription>
                <Button variant="outline" size="sm" onClick={() => void settings.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          )}
          {settings.data && (
            <GeneralSettingsForm key={settings.data.updated_at} orgId={orgId} settings={settings.data} readOnly={!canManage} />
          )}
        </CardContent>
      </Card>
      {settings.data && <BrandingSection orgId={orgId} settings={settings.data} readOnly={!canManage} />}
      {isOwner && settings.data && (
        <section aria-labelledby="danger-zone" className="grid gap-4">
          <h2 id="danger-zone" className="text-lg font-semibold text-destructive">
            Danger zone
          </h2>
          <TransferOwnershipCard orgId={orgId} currentUserId={me?.user.id ?? ''} />
          <DeleteOrganizationCard orgId={orgId} orgName={settings.data.name} />
        </section>
      )}
    </div>
  )
}

function SettingsSkeleton() {
  return (
    <div className="grid gap-4 sm:grid-cols-2" aria-label="Loading settings">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="grid gap-2">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-9 w-full" />
        </div>
      ))}
    </div>
  )
}
