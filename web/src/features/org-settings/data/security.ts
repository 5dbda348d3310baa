import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

type Schemas = components['schemas']

/** The organization's security tab; `connection` is null until an SSO connection is saved. */
export type SecuritySettings = Omit<Schemas['SecuritySettings'], 'connection'> & { connection: SSOConnection | null }
/** The saved SSO connection, without its secrets. */
export type SSOConnection = Schemas['SSOConnection']
/** Body of PUT /orgs/{org_id}/security/sso. */
export type SSOConnectionRequest = Schemas['SSOConnectionRequest']
/** A claimed email domain with the DNS record that proves it. */
export type SSODomain = Schemas['SSODomain']
/** One network of the IP allowlist. */
export type AllowlistEntry = Schemas['AllowlistEntry']
/** A well-known OIDC provider whose issuer pattern the form fills in. */
export type SSOPreset = Schemas['SSOPreset']

/** The organization's SSO connection, claimed domains, enforcement and IP allowlist (needs sso.manage). */
export function securityQuery(orgId: string) {
  return queryOptions({
    queryKey: ['orgs', orgId, 'security'],
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/orgs/{org_id}/security', { params: { path: { org_id: orgId } }, signal }))) as SecuritySettings,
  })
}

/** See securityQuery. */
export function useSecuritySettings(orgId: string) {
  return useQuery(securityQuery(orgId))
}

/** Mutations that answer the whole settings put them in the cache; the others refetch them. */
function useSettle(orgId: string) {
  const queryClient = useQueryClient()
  const key = securityQuery(orgId).queryKey
  return {
    set: (settings: unknown) => queryClient.setQueryData(key, settings as SecuritySettings),
    refetch: () => queryClient.invalidateQueries({ queryKey: key }),
  }
}

/** Creates or replaces the SSO connection (an empty client secret keeps the stored one). */
export function useSaveSSOConnection(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: (body: SSOConnectionRequest) =>
      unwrap(api.PUT('/api/v1/orgs/{org_id}/security/sso', { params: { path: { org_id: orgId } }, body })),
    onSuccess: settle.set,
  })
}

/** Removes the SSO connection; enforcement goes off with it. */
export function useDeleteSSOConnection(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/orgs/{org_id}/security/sso', { params: { path: { org_id: orgId } } })),
    onSettled: settle.refetch,
  })
}

/** Switches "require SSO" on or off (on is refused until a sign-in through the connection succeeded). */
export function useSetSSORequired(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: (ssoRequired: boolean) =>
      unwrap(
        api.PUT('/api/v1/orgs/{org_id}/security/sso-required', {
          params: { path: { org_id: orgId } },
          body: { sso_required: ssoRequired },
        }),
      ),
    onSuccess: settle.set,
  })
}

/** Claims an email domain; it stays unverified until its DNS TXT record is published and checked. */
export function useClaimDomain(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: (domain: string) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/security/domains', { params: { path: { org_id: orgId } }, body: { domain } })),
    onSuccess: settle.refetch,
  })
}

/** Checks a claimed domain's DNS TXT record. */
export function useVerifyDomain(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: (domain: string) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/security/domains/{domain}/verify', { params: { path: { org_id: orgId, domain } } })),
    onSuccess: settle.refetch,
  })
}

/** Gives up a claimed domain. */
export function useRemoveDomain(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: (domain: string) =>
      unwrap(api.DELETE('/api/v1/orgs/{org_id}/security/domains/{domain}', { params: { path: { org_id: orgId, domain } } })),
    onSettled: settle.refetch,
  })
}

/** Replaces the IP allowlist; a list that would lock the caller out is refused (422). */
export function useSaveAllowlist(orgId: string) {
  const settle = useSettle(orgId)
  return useMutation({
    mutationFn: (entries: AllowlistEntry[]) =>
      unwrap(api.PUT('/api/v1/orgs/{org_id}/security/ip-allowlist', { params: { path: { org_id: orgId } }, body: { entries } })),
    onSuccess: settle.set,
  })
}

/** The browser route that runs a test sign-in through the organization's IdP. */
export function ssoTestStartPath(orgId: string): string {
  return `/api/v1/auth/sso/${encodeURIComponent(orgId)}/start?purpose=test`
}
