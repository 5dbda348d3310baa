import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useChangePassword } from '../data/api'
import { changePasswordSchema } from '../data/schema'

/** Change the password; this browser stays signed in, the other sessions are kept (see Sessions). */
export function ChangePasswordCard() {
  const change = useChangePassword()
  const form = useForm({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { current_password: '', new_password: '', confirm: '' },
  })
  const { errors, isSubmitting } = form.formState
  const onSubmit = form.handleSubmit(async ({ current_password, new_password }) => {
    try {
      await change.mutateAsync({ current_password, new_password })
      form.reset()
      toast.success('Password changed', { description: 'Other sessions stay signed in; sign them out below if needed.' })
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['current_password', 'new_password'])
    }
  })
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Password</CardTitle>
        <CardDescription>Changing it keeps you signed in here and leaves your other sessions signed in.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:max-w-md">
          <FormAlert message={errors.root?.server?.message} />
          <FormField label="Current password" error={errors.current_password?.message}>
            <Input type="password" autoComplete="current-password" {...form.register('current_password')} />
          </FormField>
          <FormField label="New password" error={errors.new_password?.message}>
            <Input type="password" autoComplete="new-password" {...form.register('new_password')} />
          </FormField>
          <FormField label="Confirm new password" error={errors.confirm?.message}>
            <Input type="password" autoComplete="new-password" {...form.register('confirm')} />
          </FormField>
          <div>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Change password
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  )
}
