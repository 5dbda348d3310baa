import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link, useSearchParams } from 'react-router'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm, tooManyAttemptsMessage } from '@/lib/form-errors'
import { AuthLayout } from './components/auth-layout'
import { TwoFactorStep } from './components/two-factor-step'
import { useSignIn } from './data/api'
import { signInSchema } from './data/schema'
import { useAfterAuth } from './data/use-after-auth'

/** /sign-in */
export function SignInPage() {
  const [params] = useSearchParams()
  const signIn = useSignIn()
  const afterAuth = useAfterAuth()
  const form = useForm({ resolver: zodResolver(signInSchema), defaultValues: { email: params.get('email') ?? '', password: '' } })
  const { errors, isSubmitting } = form.formState
  const [challenge, setChallenge] = useState<string>()

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
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        <FormAlert message={errors.root?.server?.message} />
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
    </AuthLayout>
  )
}
