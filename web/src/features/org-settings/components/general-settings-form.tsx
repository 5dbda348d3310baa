import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { Controller, useForm } from 'react-hook-form'
import { toast } from 'sonner'
import type { OrganizationSettings } from '@/api/types'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { SelectControl, SelectItem } from '@/components/ui/select'
import { gatedProps, RoleHint, usePermissionGate } from '@/components/permission-gate'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useUpdateOrgSettings } from '../data/api'
import {
  currencies,
  diffSettings,
  settingsFormFields,
  settingsFormSchema,
  timezones,
  toSettingsInput,
  type SettingsFormInput,
  type SettingsFormValues,
} from '../data/schema'

/** Settings → General: name, address, locale and the idle timeout. Read-only without settings.manage. */
export function GeneralSettingsForm({ orgId, settings, readOnly }: { orgId: string; settings: OrganizationSettings; readOnly: boolean }) {
  const saveGate = usePermissionGate(orgId, 'settings.manage', 'change the organization settings')
  const update = useUpdateOrgSettings(orgId)
  const form = useForm<SettingsFormInput, unknown, SettingsFormValues>({
    resolver: zodResolver(settingsFormSchema),
    defaultValues: toSettingsInput(settings),
  })
  const { errors, isSubmitting, isDirty } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    const changes = diffSettings(settings, values)
    if (Object.keys(changes).length === 0) return
    try {
      const saved = await update.mutateAsync(changes)
      form.reset(toSettingsInput(saved))
      toast.success('Settings saved')
    } catch (error) {
      showApiErrorOnForm(error, form.setError, settingsFormFields)
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-6" aria-label="General settings">
      <FormAlert message={errors.root?.server?.message} />
      <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
        <FormField label="Organization name" required error={errors.name?.message}>
          <Input autoComplete="organization" {...form.register('name')} />
        </FormField>
        <FormField label="Slug" required error={errors.slug?.message} hint="Lowercase letters, digits and hyphens.">
          <Input autoComplete="off" spellCheck={false} {...form.register('slug')} />
        </FormField>
        <FormField label="Time zone" required error={errors.timezone?.message}>
          <Input list="org-timezones" autoComplete="off" spellCheck={false} {...form.register('timezone')} />
        </FormField>
        <datalist id="org-timezones">
          {timezones.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
        <Controller
          control={form.control}
          name="currency"
          render={({ field }) => (
            <FormField label="Currency" required error={errors.currency?.message}>
              <SelectControl value={field.value} onValueChange={field.onChange} disabled={readOnly}>
                {currencies.map((c) => (
                  <SelectItem key={c} value={c}>
                    {c}
                  </SelectItem>
                ))}
              </SelectControl>
            </FormField>
          )}
        />
        <FormField
          label="Session idle timeout (minutes)"
          error={errors.session_timeout_minutes?.message}
          hint="Members idle longer than this are signed out of this organization. 0 turns it off; otherwise 5 to 43200."
        >
          <Input type="number" inputMode="numeric" min={0} max={43200} {...form.register('session_timeout_minutes')} />
        </FormField>
      </fieldset>
      <div className="flex flex-col items-end gap-1">
        <Button type="submit" disabled={isSubmitting || !isDirty} {...gatedProps(saveGate)}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Save changes
        </Button>
        <RoleHint gate={saveGate} />
      </div>
    </form>
  )
}
