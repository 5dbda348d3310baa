import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useId } from 'react'
import { useForm } from 'react-hook-form'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { codeSchema } from '../data/schema'

/** One code-confirmed two-factor action (turn off, new backup codes): a code field and a button. */
export function CodeActionForm({
  label,
  action,
  variant = 'outline',
  onSubmit,
}: {
  label: string
  action: string
  variant?: 'outline' | 'destructive' | 'default'
  onSubmit: (code: string) => Promise<void>
}) {
  const id = useId()
  const form = useForm({ resolver: zodResolver(codeSchema), defaultValues: { code: '' } })
  const { errors, isSubmitting } = form.formState
  const submit = form.handleSubmit(async ({ code }) => {
    try {
      await onSubmit(code)
      form.reset()
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['code'])
    }
  })
  return (
    <form onSubmit={submit} noValidate aria-labelledby={id} className="grid gap-3 sm:max-w-md">
      <h3 id={id} className="text-sm font-medium">
        {action}
      </h3>
      <FormAlert message={errors.root?.server?.message} />
      <FormField label={label} error={errors.code?.message} hint="A code from your authenticator app, or a backup code.">
        <Input autoComplete="one-time-code" spellCheck={false} {...form.register('code')} />
      </FormField>
      <div>
        <Button type="submit" variant={variant} disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          {action}
        </Button>
      </div>
    </form>
  )
}
