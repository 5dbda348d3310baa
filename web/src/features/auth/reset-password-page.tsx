import { zodResolver } from '@hookform/resolvers/zod'
import { CheckCircle2Icon, Loader2Icon } from 'lucide-react'
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
import { useResetPassword } from './data/api'
import { resetPasswordSchema } from './data/schema'

const linkClass = 'font-medium text-primary underline-offset-4 hover:underline'

/** /reset-password?token=…: the link from the reset email. Public: the token is the credential. */
export function ResetPasswordPage() {
  useTitle('Reset password')
  const [params] = useSearchParams()
  const token = params.get('token')?.trim() ?? ''
  const reset = useResetPassword()
  const form = useForm({ resolver: zodResolver(resetPasswordSchema), defaultValues: { password: '', confirm: '' } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async ({ password }) => {
    try {
      await reset.mutateAsync({ token, password })
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.token) {
        form.setError('root.server', { message: 'This reset link is invalid, used or expired. Ask for a new one.' })
      } else if (error instanceof ApiError && error.status === 429) {
        form.setError('root.server', { message: tooManyAttemptsMessage(error) })
      } else {
        showApiErrorOnForm(error, form.setError, ['password'])
      }
    }
  })

  if (reset.isSuccess) {
    return (
      <AuthLayout title="Password changed" description="You were signed out everywhere; sign in with your new password.">
        <Alert role="status">
          <CheckCircle2Icon aria-hidden="true" />
          <AlertTitle>All set</AlertTitle>
          <AlertDescription>
            <Link to="/sign-in" className={linkClass}>
              Sign in
            </Link>
          </AlertDescription>
        </Alert>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout
      title="Choose a new password"
      description="Use at least 8 characters. Every device signed in to your account will be signed out."
      footer={
        <Link to="/forgot-password" className={linkClass}>
          Ask for a new link
        </Link>
      }
    >
      {token === '' ? (
        <FormAlert message="This page needs the link from your reset email." />
      ) : (
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <FormAlert message={errors.root?.server?.message} />
          <FormField label="New password" error={errors.password?.message}>
            <Input type="password" autoComplete="new-password" autoFocus {...form.register('password')} />
          </FormField>
          <FormField label="Confirm new password" error={errors.confirm?.message}>
            <Input type="password" autoComplete="new-password" {...form.register('confirm')} />
          </FormField>
          <Button type="submit" className="w-full" disabled={isSubmitting}>
            {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
            Set new password
          </Button>
        </form>
      )}
    </AuthLayout>
  )
}
