import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { ChangePasswordRequest, UpdateProfileRequest } from '@/api/types'
import { meQuery } from '@/features/auth/data/api'

/** The signed-in user's live sessions. */
export const sessionsQuery = queryOptions({
  queryKey: ['me', 'sessions'],
  queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me/sessions', { signal })),
})

/** The signed-in user's live sessions (see sessionsQuery). */
export function useSessions() {
  return useQuery(sessionsQuery)
}

/** Refreshes the user (and their sessions) after an account change. */
function useRefreshMe() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: meQuery.queryKey })
}

/** Saves name, time zone and avatar. */
export function useUpdateProfile() {
  const refresh = useRefreshMe()
  return useMutation({
    mutationFn: (body: UpdateProfileRequest) => unwrap(api.PATCH('/api/v1/me', { body })),
    onSuccess: refresh,
  })
}

/** Changes the password; the server rotates this session's cookie and keeps the others. */
export function useChangePassword() {
  const refresh = useRefreshMe()
  return useMutation({
    mutationFn: (body: ChangePasswordRequest) => unwrap(api.POST('/api/v1/me/password', { body })),
    onSuccess: refresh,
  })
}

/** Signs one session out. */
export function useRevokeSession() {
  const refresh = useRefreshMe()
  return useMutation({
    mutationFn: (sessionId: string) =>
      unwrap(api.DELETE('/api/v1/me/sessions/{session_id}', { params: { path: { session_id: sessionId } } })),
    onSettled: refresh,
  })
}

/** Signs every other session out. */
export function useRevokeOtherSessions() {
  const refresh = useRefreshMe()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/sessions/revoke-others')),
    onSettled: refresh,
  })
}

/** Starts two-factor enrolment: a fresh secret and QR code each time. */
export function useSetupTwoFactor() {
  return useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/me/2fa/setup')) })
}

/** Confirms enrolment with a code; answers the backup codes, shown once. */
export function useEnableTwoFactor() {
  const refresh = useRefreshMe()
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/v1/me/2fa/enable', { body: { code } })),
    onSuccess: refresh,
  })
}

/** Turns two-factor sign-in off with an authenticator or backup code. */
export function useDisableTwoFactor() {
  const refresh = useRefreshMe()
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/v1/me/2fa/disable', { body: { code } })),
    onSuccess: refresh,
  })
}

/** Replaces the backup codes (needs an authenticator or backup code). */
export function useRegenerateBackupCodes() {
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/v1/me/2fa/backup-codes', { body: { code } })),
  })
}
