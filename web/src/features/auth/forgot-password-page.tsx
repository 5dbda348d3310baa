import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon, MailCheckIcon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { Link } from 'react-router'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm, tooManyAttemptsMessage } from '@/lib/form-errors'
import { useTitle } from '@/lib/use-title'
import { AuthLayout } from './components/auth-layout'
import { useForgotPassword } from './data/api'
import { forgotPasswordSchema } from './data/schema'

const backToSignIn = (
  <p>
    Remembered it?{' '}
    <Link to="/sign-in" className="font-medium text-primary underline-offset-4 hover:underline">
      Sign in
    </Link>
  </p>
)

/** /forgot-password: asks for a reset link. The answer never says whether the account exists. */
export function ForgotPasswordPage() {
  useTitle('Forgot password')
  const forgot = useForgotPassword()
  const form = useForm({ resolver: zodResolver(forgotPasswordSchema), defaultValues: { email: '' } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await forgot.mutateAsync(values)
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        form.setError('root.server', { message: tooManyAttemptsMessage(error) })
      } else {
        showApiErrorOnForm(error, form.setError, ['email'])
      }
    }
  })

  return (
    <AuthLayout title="Reset your password" description="We'll email you a link to choose a new password." footer={backToSignIn}>
      {forgot.isSuccess ? (
        <Alert role="status">
          <MailCheckIcon aria-hidden="true" />
          <AlertTitle>Check your inbox</AlertTitle>
          <AlertDescription>
            If an account uses {form.getValues('email')}, a reset link is on its way. It works once, for one hour.
          </AlertDescription>
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate className="grid gap-4">
          <FormAlert message={errors.root?.server?.message} />
          <FormField label="Email" error={errors.email?.message}>
            <Input type="email" autoComplete="email" autoFocus {...form.register('email')} />
          </FormField>
          <Button type="submit" className="w-full" disabled={isSubmitting}>
            {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
            Send reset link
          </Button>
        </form>
      )}
    </AuthLayout>
  )
}
