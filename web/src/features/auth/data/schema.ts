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
