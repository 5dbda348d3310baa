import { MailWarningIcon, XIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useMatch } from 'react-router'
import type { User } from '@/api/types'
import { Button } from '@/components/ui/button'
import { useIsDevelopment } from '@/features/auth/data/api'
import { cn } from '@/lib/utils'

/**
 * "Please verify your email address" for a user who hasn't opened the link in
 * the welcome email yet. Dismissing hides it until the page is loaded again;
 * it goes away for good once `me` says the address is verified.
 */
export function VerifyEmailBanner({ user, className }: { user: User | undefined; className?: string }) {
  const isDevelopment = useIsDevelopment()
  const onMailbox = useMatch('/dev/mailbox') !== null
  const [dismissed, setDismissed] = useState(false)
  if (!user || user.email_verified || dismissed) return null

  return (
    <div
      role="status"
      className={cn('flex items-start gap-3 border-b border-primary/20 bg-primary/5 px-4 py-2 text-sm sm:px-6', className)}
    >
      <MailWarningIcon className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden="true" />
      <p className="min-w-0 flex-1 leading-5">
        <span className="font-medium">Please verify your email address</span> — we sent a link to{' '}
        <span className="font-medium [overflow-wrap:anywhere]">{user.email}</span>.
        {isDevelopment && !onMailbox && (
          <>
            {' '}
            <Link
              to="/dev/mailbox"
              className="rounded-sm font-medium whitespace-nowrap text-primary underline underline-offset-4 outline-none hover:no-underline focus-visible:ring-[3px] focus-visible:ring-ring"
            >
              Open dev mailbox
            </Link>
          </>
        )}
      </p>
      <Button
        variant="ghost"
        size="icon-sm"
        className="-my-1 -mr-2 size-7 text-muted-foreground hover:bg-primary/10 sm:-mr-3"
        aria-label="Dismiss"
        title="Dismiss"
        onClick={() => setDismissed(true)}
      >
        <XIcon />
      </Button>
    </div>
  )
}
