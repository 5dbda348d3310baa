import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** An organization's plan, subscription state and usage. */
export type Billing = components['schemas']['Billing']
/** A plan an organization can subscribe to. */
export type Plan = components['schemas']['Plan']
/** One usage meter of the billing page. */
export type UsageMeter = components['schemas']['UsageMeter']
/** One of Stripe's invoices for the subscription. */
export type StripeInvoice = components['schemas']['StripeInvoice']
/** A plan id. */
export type PlanId = Plan['id']

/** The organization's billing state; every member reads it (the read-only banner needs it). */
export function billingQuery(orgId: string) {
  return queryOptions({
    queryKey: ['orgs', orgId, 'billing'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}/billing', { params: { path: { org_id: orgId } }, signal })),
    staleTime: 60_000,
  })
}

/** See billingQuery. */
export function useBilling(orgId: string, enabled = true) {
  return useQuery({ ...billingQuery(orgId), enabled: enabled && orgId !== '' })
}

/** Every plan, cheapest first. */
export function usePlans() {
  return useQuery({
    queryKey: ['plans'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/plans', { signal })),
    staleTime: 10 * 60_000,
  })
}

/** Stripe's invoices for the subscription (empty without Stripe); needs billing.manage. */
export function useStripeInvoices(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['orgs', orgId, 'billing', 'invoices'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/billing/invoices', { params: { path: { org_id: orgId } }, signal })),
    enabled,
  })
}

/** Self-hosted mode: the owner switches plan directly. */
export function useChangePlan(orgId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (planId: PlanId) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/billing/plan', { params: { path: { org_id: orgId } }, body: { plan_id: planId } })),
    onSuccess: (billing) => queryClient.setQueryData(billingQuery(orgId).queryKey, billing),
  })
}

/** Stripe mode: opens Checkout for planId (the browser leaves the app). */
export function useCheckout(orgId: string) {
  return useMutation({
    mutationFn: (planId: PlanId) =>
      unwrap(api.POST('/api/v1/orgs/{org_id}/billing/checkout', { params: { path: { org_id: orgId } }, body: { plan_id: planId } })),
    onSuccess: ({ url }) => window.location.assign(url),
  })
}

/** Stripe mode: opens the Customer Portal (payment methods, cancel, resume). */
export function usePortal(orgId: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/orgs/{org_id}/billing/portal', { params: { path: { org_id: orgId } } })),
    onSuccess: ({ url }) => window.location.assign(url),
  })
}

/** A member asks the owners for a bigger plan (one email a day per member). */
export function useRequestUpgrade(orgId: string) {
  return useMutation({
    mutationFn: (message: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/billing/upgrade-request', { params: { path: { org_id: orgId } }, body: { message } }),
      ),
  })
}
