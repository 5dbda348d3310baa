import { LogOutIcon, MailIcon } from 'lucide-react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { useIsDevelopment, useMe } from '@/features/auth/data/api'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { useSignOutAndLeave } from '@/features/auth/data/use-sign-out-and-leave'
import { CreateOrganizationForm } from '@/features/organizations/components/create-organization-form'
import { VerifyEmailBanner } from '@/features/verify-email/components/verify-email-banner'
import { homePath } from '@/lib/last-org'
import { useTitle } from '@/lib/use-title'

/** /onboarding: a new user names their first organization. */
export function OnboardingPage() {
  useTitle('Welcome')
  const { data: me } = useMe()
  const isDevelopment = useIsDevelopment()
  const signOut = useSignOutAndLeave()
  const hasOrganizations = (me?.memberships.length ?? 0) > 0
  const firstName = me?.user.name.split(' ')[0]

  return (
    <AuthLayout
      title={firstName ? `Welcome, ${firstName}` : 'Welcome'}
      description="Create your organization to get started. It's the shared workspace for your team's clients, projects and invoices."
      banner={<VerifyEmailBanner user={me?.user} />}
      footer={
        <div className="flex flex-wrap items-center justify-center gap-x-4 gap-y-2">
          {hasOrganizations && me && (
            <Link to={homePath(me.memberships)} className="font-medium text-primary underline-offset-4 hover:underline">
              Back to your workspace
            </Link>
          )}
          {isDevelopment && (
            <Link to="/dev/mailbox" className="inline-flex items-center gap-1 underline-offset-4 hover:underline">
              <MailIcon className="size-3.5" aria-hidden="true" /> Dev mailbox
            </Link>
          )}
          <Button variant="link" size="sm" className="h-auto p-0 text-muted-foreground" onClick={signOut}>
            <LogOutIcon aria-hidden="true" /> Sign out
          </Button>
        </div>
      }
    >
      <CreateOrganizationForm />
    </AuthLayout>
  )
}
