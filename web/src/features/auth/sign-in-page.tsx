import { zodResolver } from '@hookform/resolvers/zod'
import { AlertCircleIcon, InfoIcon, Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link, useSearchParams } from 'react-router'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm, tooManyAttemptsMessage } from '@/lib/form-errors'
import { useTitle } from '@/lib/use-title'
import { AuthLayout } from './components/auth-layout'
import { TwoFactorStep } from './components/two-factor-step'
import { useSignIn } from './data/api'
import { googleStartPath, useAuthProviders, useSSODiscover, withReturnTo } from './data/external-sign-in'
import { signInSchema } from './data/schema'
import { useAfterAuth } from './data/use-after-auth'

/** /sign-in */
export function SignInPage() {
  useTitle('Sign in')
  const [params] = useSearchParams()
  const signIn = useSignIn()
  const afterAuth = useAfterAuth()
  const form = useForm({ resolver: zodResolver(signInSchema), defaultValues: { email: params.get('email') ?? '', password: '' } })
  const { errors, isSubmitting } = form.formState
  const [challenge, setChallenge] = useState<string>()
  const providers = useAuthProviders()
  const discover = useSSODiscover()
  const [ssoNotice, setSSONotice] = useState<string>()
  const next = params.get('next')
  const ssoError = params.get('sso_error')

  // "Continue with SSO" uses the email field: a verified domain's organization sends the browser to its IdP.
  const continueWithSSO = async () => {
    setSSONotice(undefined)
    form.clearErrors()
    const email = form.getValues('email').trim()
    if (!signInSchema.shape.email.safeParse(email).success) {
      form.setError('email', { message: 'Enter your work email to continue with SSO' }, { shouldFocus: true })
      return
    }
    try {
      const found = await discover.mutateAsync(email)
      window.location.assign(withReturnTo(found.start_url, next))
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        setSSONotice('No SSO for this domain — sign in with your password.')
        form.setFocus('password')
      } else if (error instanceof ApiError && error.status === 429) {
        form.setError('root.server', { message: tooManyAttemptsMessage(error) })
      } else {
        showApiErrorOnForm(error, form.setError, ['email'])
      }
    }
  }

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const answer = await signIn.mutateAsync(values)
      if (answer.two_factor_required && answer.challenge) {
        setChallenge(answer.challenge)
        return
      }
      await afterAuth()
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        form.setError('root.server', { message: 'Email or password is incorrect' })
        form.resetField('password', { keepError: false })
        form.setFocus('password')
      } else if (error instanceof ApiError && error.status === 429) {
        form.setError('root.server', { message: tooManyAttemptsMessage(error) })
      } else {
        showApiErrorOnForm(error, form.setError, ['email', 'password'])
      }
    }
  })

  const signUpHref = params.has('next') ? `/sign-up?${new URLSearchParams({ next: params.get('next')! })}` : '/sign-up'

  if (challenge) {
    return (
      <AuthLayout title="Two-factor sign-in" description="Enter the code from your authenticator app to finish signing in.">
        <TwoFactorStep
          challenge={challenge}
          onSignedIn={afterAuth}
          onRestart={() => {
            setChallenge(undefined)
            form.reset({ email: form.getValues('email'), password: '' })
          }}
        />
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title="Sign in"
      description="Welcome back. Sign in to your ClientFlow account."
      footer={
        <p>
          New to ClientFlow?{' '}
          <Link to={signUpHref} className="font-medium text-primary underline-offset-4 hover:underline">
            Create an account
          </Link>
        </p>
      }
    >
      {ssoError !== null && (
        <Alert variant="destructive" className="mb-4" data-testid="sso-error">
          <AlertCircleIcon aria-hidden="true" />
          <AlertTitle>Single sign-on didn't work</AlertTitle>
          <AlertDescription className="[overflow-wrap:anywhere]">{ssoError || 'Try again, or sign in with your password.'}</AlertDescription>
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        <FormAlert message={errors.root?.server?.message} />
        {ssoNotice && (
          <Alert role="status">
            <InfoIcon aria-hidden="true" />
            <AlertDescription>{ssoNotice}</AlertDescription>
          </Alert>
        )}
        <FormField label="Email" error={errors.email?.message}>
          <Input type="email" autoComplete="email" autoFocus {...form.register('email')} />
        </FormField>
        <FormField
          label="Password"
          error={errors.password?.message}
          hint={
            <Link to="/forgot-password" className="font-medium text-primary underline-offset-4 hover:underline">
              Forgot your password?
            </Link>
          }
        >
          <Input type="password" autoComplete="current-password" {...form.register('password')} />
        </FormField>
        <Button type="submit" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Sign in
        </Button>
      </form>
      <div className="my-4 flex items-center gap-3 text-xs text-muted-foreground" aria-hidden="true">
        <span className="h-px flex-1 bg-border" />
        or
        <span className="h-px flex-1 bg-border" />
      </div>
      <div className="grid gap-2">
        <Button type="button" variant="outline" className="w-full" disabled={discover.isPending} onClick={() => void continueWithSSO()}>
          {discover.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Continue with SSO
        </Button>
        {providers.data?.google && (
          <Button asChild variant="outline" className="w-full">
            <a href={googleStartPath(next)}>Sign in with Google</a>
          </Button>
        )}
        <p className="text-center text-xs text-muted-foreground">Continue with SSO uses the email above to find your organization's sign-in.</p>
      </div>
    </AuthLayout>
  )
}
