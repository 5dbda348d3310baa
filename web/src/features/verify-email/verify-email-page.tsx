import { AlertCircleIcon, CheckCircle2Icon, Loader2Icon, RotateCwIcon } from 'lucide-react'
import { useEffect, useRef, type ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { useTitle } from '@/lib/use-title'
import { cn } from '@/lib/utils'
import { useVerifyEmail } from './data/api'
import { verifyFailure } from './data/failure'

/**
 * /verify-email?token=…: the link from the welcome email. Public, signed in or
 * out (the token is the credential), so it never asks who is signed in: a 401
 * from /me would send a signed-out visitor to sign-in before the link is used.
 */
export function VerifyEmailPage() {
  useTitle('Verify email')
  const [params] = useSearchParams()
  const token = params.get('token')?.trim() ?? ''
  const verify = useVerifyEmail()
  const { mutate } = verify
  // Post each token once, even when StrictMode runs the effect twice.
  const startedFor = useRef<string | null>(null)

  useEffect(() => {
    if (token === '' || startedFor.current === token) return
    startedFor.current = token
    mutate(token)
  }, [token, mutate])

  if (token === '' || verify.isError) {
    const failure = verifyFailure(token === '' ? null : verify.error)
    return (
      <VerifyLayout
        title="We couldn't verify your email address"
        description={failure.retryable ? 'Your link may still be good: give it another try.' : "The link didn't work."}
        tone="error"
        icon={<AlertCircleIcon className="text-destructive" />}
        message={failure.message}
      >
        {failure.retryable ? (
          <div className="grid gap-2">
            <Button className="w-full" onClick={() => mutate(token)}>
              <RotateCwIcon aria-hidden="true" />
              Try again
            </Button>
            <Button asChild variant="outline" className="w-full">
              <Link to="/">Go to ClientFlow</Link>
            </Button>
          </div>
        ) : (
          <>
            <p className="text-sm text-muted-foreground">
              Sign in to ClientFlow and open the newest verification email in your inbox: its link is the one that works.
            </p>
            <Button asChild className="w-full">
              <Link to="/">Go to ClientFlow</Link>
            </Button>
          </>
        )}
      </VerifyLayout>
    )
  }

  if (verify.isSuccess) {
    return (
      <VerifyLayout
        title="Your email address is verified"
        description={
          <>
            Thanks for confirming <span className="font-medium text-foreground [overflow-wrap:anywhere]">{verify.data.user.email}</span>.
          </>
        }
        tone="success"
        icon={<CheckCircle2Icon className="text-success" />}
        message="Verified. You're all set."
      >
        <Button asChild className="w-full">
          <Link to="/">Continue to ClientFlow</Link>
        </Button>
      </VerifyLayout>
    )
  }

  return (
    <VerifyLayout
      title="Verifying your email address"
      description="This only takes a moment."
      tone="pending"
      icon={<Loader2Icon className="animate-spin text-primary" />}
      message="Checking your link…"
    />
  )
}

/**
 * The card every state shares. The status line keeps its place in the tree, so
 * screen readers announce each new state (checking, verified, failed) politely.
 */
function VerifyLayout({
  title,
  description,
  tone,
  icon,
  message,
  children,
}: {
  title: string
  description: ReactNode
  tone: 'pending' | 'success' | 'error'
  icon: ReactNode
  message: string
  children?: ReactNode
}) {
  return (
    <AuthLayout title={title} description={description}>
      <div className="grid gap-4">
        <div
          role="status"
          aria-busy={tone === 'pending'}
          className={cn(
            'flex items-start gap-3 rounded-lg border px-4 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0',
            tone === 'pending' && 'bg-muted/40 text-muted-foreground',
            tone === 'success' && 'border-success/30 bg-success/5',
            tone === 'error' && 'border-destructive/30 bg-destructive/5 text-destructive',
          )}
        >
          {icon}
          <p>{message}</p>
        </div>
        {children}
      </div>
    </AuthLayout>
  )
}
