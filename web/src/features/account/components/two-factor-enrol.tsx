import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import type { TwoFactorSetup } from '@/api/types'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useEnableTwoFactor } from '../data/api'
import { codeSchema } from '../data/schema'

/** Step two of enrolment: scan the QR code (or type the key), then confirm with the first code. */
export function TwoFactorEnrol({
  setup,
  onEnabled,
  onCancel,
}: {
  setup: TwoFactorSetup
  onEnabled: (backupCodes: string[]) => void
  onCancel: () => void
}) {
  const enable = useEnableTwoFactor()
  const form = useForm({ resolver: zodResolver(codeSchema), defaultValues: { code: '' } })
  const { errors, isSubmitting } = form.formState
  const onSubmit = form.handleSubmit(async ({ code }) => {
    try {
      const { backup_codes } = await enable.mutateAsync(code)
      onEnabled(backup_codes)
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['code'])
    }
  })
  return (
    <div className="grid gap-4 sm:grid-cols-[auto_1fr]">
      <img src={setup.qr_code} alt="QR code to scan with your authenticator app" className="size-48 rounded-md border bg-white p-2" />
      <div className="grid content-start gap-4">
        <div className="grid gap-1 text-sm">
          <p>Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy…).</p>
          <p className="text-muted-foreground">Can't scan it? Enter this setup key instead:</p>
          <code aria-label="Setup key" className="rounded bg-muted px-2 py-1 font-mono text-sm break-all">
            {setup.secret}
          </code>
        </div>
        <form onSubmit={onSubmit} noValidate className="grid gap-3">
          <FormAlert message={errors.root?.server?.message} />
          <FormField label="Code from the app" error={errors.code?.message}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} autoFocus {...form.register('code')} />
          </FormField>
          <div className="flex gap-2">
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Turn on two-factor sign-in
            </Button>
            <Button type="button" variant="ghost" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </form>
      </div>
    </div>
  )
}
