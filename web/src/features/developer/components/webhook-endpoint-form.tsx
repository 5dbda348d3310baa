import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import { useId, type ReactNode } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { webhookEndpointSchema, webhookEventGroups, webhookEventTypes, type WebhookEndpointFormValues } from '../data/webhooks'

/**
 * The endpoint's URL, description and subscribed events (checkboxes grouped by entity, each group and the
 * whole list with "select all"), for create and edit. `onSave` throws the API's error, shown on the fields.
 */
export function WebhookEndpointForm({
  defaultValues,
  submitLabel,
  onSave,
  footer,
}: {
  defaultValues: WebhookEndpointFormValues
  submitLabel: string
  onSave: (values: WebhookEndpointFormValues) => Promise<void>
  /** Extra buttons beside submit (e.g. Cancel). */
  footer?: ReactNode
}) {
  const form = useForm<WebhookEndpointFormValues>({ resolver: zodResolver(webhookEndpointSchema), defaultValues })
  const { errors, isSubmitting } = form.formState
  const eventsId = useId()

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await onSave(values)
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['url', 'description', 'events'])
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <FormField label="Endpoint URL" hint="Where we POST each event, e.g. https://example.com/hooks/clientflow." error={errors.url?.message} required>
        <Input type="url" inputMode="url" autoComplete="off" maxLength={2048} placeholder="https://" {...form.register('url')} />
      </FormField>
      <FormField label="Description" hint="Optional: what receives these events." error={errors.description?.message}>
        <Textarea rows={2} maxLength={500} {...form.register('description')} />
      </FormField>
      <Controller
        control={form.control}
        name="events"
        render={({ field }) => {
          const set = (events: readonly string[], on: boolean) =>
            field.onChange(on ? [...new Set([...field.value, ...events])] : field.value.filter((e) => !events.includes(e)))
          const allOn = webhookEventTypes.every((e) => field.value.includes(e))
          return (
            <fieldset aria-describedby={errors.events ? `${eventsId}-error` : undefined} className="grid gap-3 rounded-md border p-3">
              <legend className="px-1 text-sm font-medium">Events</legend>
              <label className="flex items-center gap-2 text-sm font-medium">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={allOn}
                  onChange={(event) => set(webhookEventTypes, event.target.checked)}
                />
                Select all events
              </label>
              <div className="grid gap-3 sm:grid-cols-2">
                {webhookEventGroups.map(({ group, events }) => {
                  const groupOn = events.every((e) => field.value.includes(e))
                  return (
                    <div key={group} role="group" aria-label={group} className="grid content-start gap-1.5">
                      <label className="flex items-center gap-2 text-xs font-semibold tracking-wide uppercase">
                        <input
                          type="checkbox"
                          className="size-4 accent-primary"
                          checked={groupOn}
                          aria-label={`All ${group.toLowerCase()} events`}
                          onChange={(event) => set(events, event.target.checked)}
                        />
                        {group}
                      </label>
                      {events.map((e) => (
                        <label key={e} className="flex items-center gap-2 pl-6 text-sm">
                          <input
                            type="checkbox"
                            className="size-4 shrink-0 accent-primary"
                            value={e}
                            checked={field.value.includes(e)}
                            onChange={(event) => set([e], event.target.checked)}
                          />
                          <span className="font-mono text-xs break-all">{e}</span>
                        </label>
                      ))}
                    </div>
                  )
                })}
              </div>
              {errors.events && (
                <p id={`${eventsId}-error`} role="alert" className="text-sm text-destructive">
                  {errors.events.message ?? errors.events.root?.message}
                </p>
              )}
            </fieldset>
          )
        }}
      />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {footer}
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          {submitLabel}
        </Button>
      </div>
    </form>
  )
}
