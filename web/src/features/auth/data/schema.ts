import { z } from 'zod'

const email = z
  .string()
  .trim()
  .min(1, 'Enter your email address')
  .refine((value) => z.email().safeParse(value).success, 'Enter a valid email address')

/** What the sign-in form checks before asking the server. */
export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password'),
})

/** What the sign-up form checks before asking the server (mirrors SignUpRequest). */
export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
  email,
  password: z.string().min(8, 'Use at least 8 characters').max(128, 'Use at most 128 characters'),
})

/** A new password, by the server's length rules. */
export const newPassword = z.string().min(8, 'Use at least 8 characters').max(128, 'Use at most 128 characters')

/** What the forgot-password form checks. */
export const forgotPasswordSchema = z.object({ email })

/** What the reset-password form checks; the token comes from the link. */
export const resetPasswordSchema = z
  .object({ password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'The passwords do not match', path: ['confirm'] })

/** A 6-digit authenticator code, or a backup code when `backup` is set. */
export const twoFactorCodeSchema = z
  .object({ code: z.string().trim().min(1, 'Enter the code'), backup: z.boolean() })
  .refine((v) => v.backup || /^\d{6}$/.test(v.code.replace(/\s/g, '')), {
    message: 'Enter the 6 digits your authenticator app shows',
    path: ['code'],
  })
