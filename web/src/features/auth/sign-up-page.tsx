import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { Link, useSearchParams } from 'react-router'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm, tooManyAttemptsMessage } from '@/lib/form-errors'
import { useTitle } from '@/lib/use-title'
import { AuthLayout } from './components/auth-layout'
import { useSignUp } from './data/api'
import { signUpSchema } from './data/schema'
import { useAfterAuth } from './data/use-after-auth'

/** /sign-up */
export function SignUpPage() {
  useTitle('Sign up')
  const [params] = useSearchParams()
  const signUp = useSignUp()
  const afterAuth = useAfterAuth()
  const form = useForm({ resolver: zodResolver(signUpSchema), defaultValues: { name: '', email: params.get('email') ?? '', password: '' } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signUp.mutateAsync(values)
      await afterAuth()
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        form.setError('email', { type: 'server', message: 'An account with this email already exists' }, { shouldFocus: true })
      } else if (error instanceof ApiError && error.status === 429) {
        form.setError('root.server', { message: tooManyAttemptsMessage(error) })
      } else {
        showApiErrorOnForm(error, form.setError, ['name', 'email', 'password'])
      }
    }
  })

  const signInHref = params.has('next') ? `/sign-in?${new URLSearchParams({ next: params.get('next')! })}` : '/sign-in'

  return (
    <AuthLayout
      title="Create your account"
      description="Run your agency's clients, projects and billing in one place."
      footer={
        <p>
          Already have an account?{' '}
          <Link to={signInHref} className="font-medium text-primary underline-offset-4 hover:underline">
            Sign in
          </Link>
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        <FormAlert message={errors.root?.server?.message} />
        <FormField label="Name" error={errors.name?.message}>
          <Input autoComplete="name" autoFocus {...form.register('name')} />
        </FormField>
        <FormField label="Email" error={errors.email?.message}>
          <Input type="email" autoComplete="email" {...form.register('email')} />
        </FormField>
        <FormField label="Password" error={errors.password?.message} hint="At least 8 characters.">
          <Input type="password" autoComplete="new-password" {...form.register('password')} />
        </FormField>
        <Button type="submit" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Create account
        </Button>
      </form>
    </AuthLayout>
  )
}
