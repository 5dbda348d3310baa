import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm, tooManyAttemptsMessage } from '@/lib/form-errors'
import { useSignInTwoFactor } from '../data/api'
import { twoFactorCodeSchema } from '../data/schema'

/** The sign-in second step: an authenticator code, or a backup code behind a toggle. */
export function TwoFactorStep({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: string
  onSignedIn: () => Promise<void>
  onRestart: () => void
}) {
  const verify = useSignInTwoFactor()
  const form = useForm({ resolver: zodResolver(twoFactorCodeSchema), defaultValues: { code: '', backup: false } })
  const { errors, isSubmitting } = form.formState
  const backup = form.watch('backup')

  const onSubmit = form.handleSubmit(async ({ code }) => {
    try {
      await verify.mutateAsync({ challenge, code: code.trim() })
      await onSignedIn()
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.challenge) {
        form.setError('root.server', { message: 'This sign-in attempt has expired. Sign in again.' })
      } else if (error instanceof ApiError && error.status === 429) {
        form.setError('root.server', { message: tooManyAttemptsMessage(error) })
      } else if (error instanceof ApiError && error.fieldErrors.code) {
        form.setError('code', { message: 'That code is incorrect or was already used' }, { shouldFocus: true })
      } else {
        showApiErrorOnForm(error, form.setError, ['code'])
      }
    }
  })

  const expired = errors.root?.server?.message?.startsWith('This sign-in attempt has expired')
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      {backup ? (
        <FormField key="backup" label="Backup code" error={errors.code?.message} hint="One of the codes you saved when you turned on two-factor sign-in.">
          <Input autoComplete="off" autoFocus spellCheck={false} {...form.register('code')} />
        </FormField>
      ) : (
        <FormField key="totp" label="Authentication code" error={errors.code?.message} hint="The 6-digit code from your authenticator app.">
          <Input inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={7} {...form.register('code')} />
        </FormField>
      )}
      {expired ? (
        <Button type="button" className="w-full" onClick={onRestart}>
          Sign in again
        </Button>
      ) : (
        <Button type="submit" className="w-full" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Verify
        </Button>
      )}
      <Button
        type="button"
        variant="link"
        className="h-auto p-0"
        onClick={() => {
          form.reset({ code: '', backup: !backup })
        }}
      >
        {backup ? 'Use your authenticator app' : 'Use a backup code'}
      </Button>
    </form>
  )
}
