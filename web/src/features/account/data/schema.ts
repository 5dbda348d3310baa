import { z } from 'zod'
import { newPassword } from '@/features/auth/data/schema'

/** The browser's IANA time zones for the select; the server has the final word. */
export const timezones: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((tz) => tz !== 'UTC')]

/** What the profile form checks (mirrors UpdateProfileRequest). */
export const profileSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
  timezone: z.string().refine((v) => timezones.includes(v), 'Pick a time zone from the list'),
  avatar_url: z
    .string()
    .trim()
    .max(2048, 'Use at most 2048 characters')
    .refine((v) => v === '' || /^https:\/\/[^\s/]+/.test(v), 'Use an https:// address, or leave it empty'),
})

/** What the change-password form checks. */
export const changePasswordSchema = z
  .object({ current_password: z.string().min(1, 'Enter your current password'), new_password: newPassword, confirm: z.string() })
  .refine((v) => v.new_password === v.confirm, { message: 'The passwords do not match', path: ['confirm'] })

/** A code that confirms a two-factor action: 6 digits, or a backup code where accepted. */
export const codeSchema = z.object({ code: z.string().trim().min(1, 'Enter a code') })
