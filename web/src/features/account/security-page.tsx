import { Skeleton } from '@/components/ui/skeleton'
import { useMe } from '@/features/auth/data/api'
import { useTitle } from '@/lib/use-title'
import { AccountHeader } from './components/account-nav'
import { ChangePasswordCard } from './components/change-password-card'
import { LinkedIdentitiesCard } from './components/linked-identities-card'
import { SessionsCard } from './components/sessions-card'
import { TwoFactorCard } from './components/two-factor-card'

/** /account/security — password, two-factor sign-in, linked identities and sessions. */
export function SecurityPage() {
  useTitle('Security')
  const me = useMe()
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <AccountHeader description="Your password, two-factor sign-in, linked sign-ins and where you are signed in." />
      <ChangePasswordCard />
      {me.data ? <TwoFactorCard user={me.data.user} /> : <Skeleton className="h-40 w-full" aria-label="Loading two-factor settings" />}
      <LinkedIdentitiesCard />
      <SessionsCard />
    </div>
  )
}
