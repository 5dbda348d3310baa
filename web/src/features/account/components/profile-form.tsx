import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useForm } from 'react-hook-form'
import { toast } from 'sonner'
import type { User } from '@/api/types'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useUpdateProfile } from '../data/api'
import { profileSchema, timezones } from '../data/schema'

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring aria-invalid:border-destructive'

/** Name, time zone and avatar URL of the signed-in user. */
export function ProfileForm({ user }: { user: User }) {
  const update = useUpdateProfile()
  const zones = timezones.includes(user.timezone) ? timezones : [user.timezone, ...timezones]
  const form = useForm({
    resolver: zodResolver(profileSchema),
    defaultValues: { name: user.name, timezone: user.timezone, avatar_url: user.avatar_url },
  })
  const { errors, isSubmitting, isDirty } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = await update.mutateAsync(values)
      form.reset({ name: saved.name, timezone: saved.timezone, avatar_url: saved.avatar_url })
      toast.success('Profile saved')
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['name', 'timezone', 'avatar_url'])
    }
  })

  const avatar = form.watch('avatar_url')
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:max-w-md">
      <FormAlert message={errors.root?.server?.message} />
      <FormField label="Name" required error={errors.name?.message}>
        <Input autoComplete="name" {...form.register('name')} />
      </FormField>
      <FormField label="Time zone" required error={errors.timezone?.message} hint="Dates and reminders use it.">
        <select className={selectClass} {...form.register('timezone')}>
          {zones.map((tz) => (
            <option key={tz} value={tz}>
              {tz}
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Avatar URL" error={errors.avatar_url?.message} hint="An https:// image address; leave empty for your initials.">
        <Input type="url" inputMode="url" placeholder="https://" {...form.register('avatar_url')} />
      </FormField>
      {avatar.startsWith('https://') && !errors.avatar_url && (
        <img src={avatar} alt="Avatar preview" className="size-16 rounded-full border object-cover" />
      )}
      <div>
        <Button type="submit" disabled={isSubmitting || !isDirty}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Save profile
        </Button>
      </div>
    </form>
  )
}
