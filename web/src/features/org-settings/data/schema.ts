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
  'logo_url',
  'brand_color',
  'timezone',
  'currency',
  'session_timeout_minutes',
] as const

/** What the general settings form checks (mirrors domain.OrganizationSettings.Validate). */
export const settingsFormSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{3,48}$/, 'Use 3 to 48 lowercase letters, digits or hyphens'),
  logo_url: z
    .string()
    .trim()
    .max(2048, 'Use at most 2048 characters')
    .refine((v) => v === '' || isHttpsUrl(v), 'Use an https:// address, or leave it empty'),
  brand_color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'Use a hex colour like #4f46e5')
    .transform((v) => v.toLowerCase()),
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
    logo_url: s.logo_url,
    brand_color: s.brand_color,
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
  if (v.logo_url !== s.logo_url) out.logo_url = v.logo_url
  if (v.brand_color !== s.brand_color) out.brand_color = v.brand_color
  if (v.timezone !== s.timezone) out.timezone = v.timezone
  if (v.currency !== s.currency) out.currency = v.currency
  if (v.session_timeout_minutes !== s.session_timeout_minutes) out.session_timeout_minutes = v.session_timeout_minutes
  return out
}

/** Whether s is an absolute https URL (the only logos mail clients and browsers show without warnings). */
export function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' && u.host !== ''
  } catch {
    return false
  }
}

/** Black or white, whichever reads better on the brand colour (WCAG relative luminance). */
export function foregroundFor(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  return luminance > 0.179 ? '#000000' : '#ffffff'
}
