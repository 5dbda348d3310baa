import { AlertCircleIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useMe } from '@/features/auth/data/api'
import { useTitle } from '@/lib/use-title'
import { AccountHeader } from './components/account-nav'
import { ProfileForm } from './components/profile-form'

/** /account/profile — the signed-in user's name, time zone and avatar. */
export function ProfilePage() {
  useTitle('Profile')
  const me = useMe()
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <AccountHeader description="Your name, time zone and picture, across every organization." />
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">Profile</CardTitle>
          {me.data && <CardDescription>Signed in as {me.data.user.email}.</CardDescription>}
        </CardHeader>
        <CardContent>
          {me.isPending && (
            <div className="grid gap-4 sm:max-w-md" aria-label="Loading profile">
              {Array.from({ length: 3 }, (_, i) => (
                <Skeleton key={i} className="h-9 w-full" />
              ))}
            </div>
          )}
          {me.isError && (
            <Alert variant="destructive">
              <AlertCircleIcon aria-hidden="true" />
              <AlertTitle>Couldn't load your profile</AlertTitle>
              <AlertDescription>
                <Button variant="outline" size="sm" onClick={() => void me.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          )}
          {me.data && <ProfileForm key={me.data.user.id} user={me.data.user} />}
        </CardContent>
      </Card>
    </div>
  )
}
