import { z } from 'zod'
import type { OrganizationSettings, OrganizationSettingsUpdate } from '@/api/types'

/** The ISO 4217 currencies the API accepts (domain.Currencies). */
export const currencies = [
  'AED', 'ARS', 'AUD', 'BRL', 'CAD', 'CHF', 'CLP', 'CNY', 'COP', 'CZK', 'DKK', 'EGP', 'EUR', 'GBP', 'HKD',
  'HUF', 'IDR', 'ILS', 'INR', 'JPY', 'KES', 'KRW', 'MXN', 'MYR', 'NGN', 'NOK', 'NZD', 'PHP', 'PKR', 'PLN',
  'RON', 'SAR', 'SEK', 'SGD', 'THB', 'TRY', 'TWD', 'UAH', 'USD', 'VND', 'ZAR',
] as const

/** The browser's IANA time zones, for suggestions; the server has the final word. */
export const timezones: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((tz) => tz !== 'UTC')]

/** The settings form's fields, in the order errors focus them. */
export const settingsFormFields = [
  'name',
  'slug',
  'timezone',
  'currency',
  'session_timeout_minutes',
] as const

/** What the general settings form checks (mirrors domain.OrganizationSettings.Validate); branding has its own section. */
export const settingsFormSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{3,48}$/, 'Use 3 to 48 lowercase letters, digits or hyphens'),
  timezone: z
    .string()
    .trim()
    .refine((v) => timezones.includes(v), 'Pick a time zone from the list, e.g. Europe/Berlin'),
  currency: z.enum(currencies, { message: 'Pick a currency' }),
  session_timeout_minutes: z.coerce
    .number({ message: 'Enter a number of minutes' })
    .int('Use whole minutes')
    .refine((v) => v === 0 || (v >= 5 && v <= 43200), 'Use 0 (off) or 5 to 43200 minutes'),
})

/** The form's raw input (before coercion). */
export type SettingsFormInput = z.input<typeof settingsFormSchema>
/** The form's checked values. */
export type SettingsFormValues = z.output<typeof settingsFormSchema>

/** The form's starting values. */
export function toSettingsInput(s: OrganizationSettings): SettingsFormInput {
  return {
    name: s.name,
    slug: s.slug,
    timezone: s.timezone,
    currency: s.currency as SettingsFormValues['currency'],
    session_timeout_minutes: s.session_timeout_minutes,
  }
}

/** Only what changed, so a PATCH never overwrites a colleague's edit of another field. */
export function diffSettings(s: OrganizationSettings, v: SettingsFormValues): OrganizationSettingsUpdate {
  const out: OrganizationSettingsUpdate = {}
  if (v.name !== s.name) out.name = v.name
  if (v.slug !== s.slug) out.slug = v.slug
  if (v.timezone !== s.timezone) out.timezone = v.timezone
  if (v.currency !== s.currency) out.currency = v.currency
  if (v.session_timeout_minutes !== s.session_timeout_minutes) out.session_timeout_minutes = v.session_timeout_minutes
  return out
}
