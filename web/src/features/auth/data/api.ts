import { queryOptions, useMutation, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { ForgotPasswordRequest, ResetPasswordRequest, SignInRequest, SignInTwoFactorRequest, SignUpRequest } from '@/api/types'

/** The signed-in user and memberships; a 401 here sends the user to sign-in. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me', { signal })),
  staleTime: 60_000,
})

/** The signed-in user (see meQuery). */
export function useMe() {
  return useQuery(meQuery)
}

/** Public server configuration, e.g. whether this is a development server. */
export const configQuery = queryOptions({
  queryKey: ['config'],
  queryFn: ({ signal }) => unwrap(api.GET('/api/v1/config', { signal })),
  staleTime: Infinity,
})

/** Whether the server runs in development mode (dev mailbox and friends). */
export function useIsDevelopment(): boolean {
  const { data } = useQuery(configQuery)
  return data?.environment === 'development'
}

/**
 * Signs in; a 401 means wrong credentials, so it doesn't trigger the sign-in redirect. On a two-factor
 * account the answer is a challenge instead of a session (see useSignInTwoFactor).
 */
export function useSignIn() {
  return useMutation({
    meta: { unauthorizedIsExpected: true },
    mutationFn: (body: SignInRequest) => unwrap(api.POST('/api/v1/auth/sign-in', { body })),
  })
}

/** Creates an account and signs it in. */
export function useSignUp() {
  return useMutation({
    mutationFn: (body: SignUpRequest) => unwrap(api.POST('/api/v1/auth/sign-up', { body })),
  })
}

/** Ends the session (see useSignOutAndLeave for the whole sign-out step). */
export function useSignOut() {
  return useMutation({
    meta: { unauthorizedIsExpected: true },
    mutationFn: () => unwrap(api.POST('/api/v1/auth/sign-out')),
  })
}

/** Finishes a two-factor sign-in with an authenticator or backup code. */
export function useSignInTwoFactor() {
  return useMutation({
    mutationFn: (body: SignInTwoFactorRequest) => unwrap(api.POST('/api/v1/auth/sign-in/2fa', { body })),
  })
}

/** Asks for a password reset email; the answer is the same whether or not the account exists. */
export function useForgotPassword() {
  return useMutation({
    mutationFn: (body: ForgotPasswordRequest) => unwrap(api.POST('/api/v1/auth/forgot-password', { body })),
  })
}

/** Sets a new password with the token from a reset link; every session is signed out. */
export function useResetPassword() {
  return useMutation({
    mutationFn: (body: ResetPasswordRequest) => unwrap(api.POST('/api/v1/auth/reset-password', { body })),
  })
}
