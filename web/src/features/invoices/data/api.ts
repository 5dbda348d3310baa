import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

type Schemas = components['schemas']
/** A full invoice with lines and payments. */
export type Invoice = Schemas['Invoice']
/** An invoice as lists show it. */
export type InvoiceSummary = Schemas['InvoiceSummary']
/** Body of POST /orgs/{org_id}/invoices. */
export type InvoiceCreate = Schemas['InvoiceCreate']
/** Body of PATCH /orgs/{org_id}/invoices/{invoice_id}. */
export type InvoiceUpdate = Schemas['InvoiceUpdate']
/** Body of POST /orgs/{org_id}/invoices/from-time. */
export type InvoiceFromTime = Schemas['InvoiceFromTime']
/** Body of POST /orgs/{org_id}/invoices/{invoice_id}/payments. */
export type InvoicePaymentCreate = Schemas['InvoicePaymentCreate']
/** The client-facing view of an invoice. */
export type PublicInvoice = Schemas['PublicInvoice']

/** The statuses an invoice moves through. */
export const invoiceStatuses = ['draft', 'sent', 'overdue', 'paid', 'void'] as const
/** An invoice's status. */
export type InvoiceStatus = (typeof invoiceStatuses)[number]

/** Reads a status from untrusted text (a URL parameter). */
export function parseInvoiceStatus(value: string | null | undefined): InvoiceStatus | undefined {
  return invoiceStatuses.find((s) => s === value)
}

/** Invoices per page. */
export const invoicesPageSize = 25

/** Query keys: everything about an org's invoices sits under `all`, so one invalidation refreshes it. */
export const invoiceKeys = {
  all: (orgId: string) => ['orgs', orgId, 'invoices'] as const,
  list: (orgId: string, status: InvoiceStatus | undefined, cursor: string | undefined) =>
    [...invoiceKeys.all(orgId), 'list', status ?? 'all', cursor ?? ''] as const,
  one: (orgId: string, invoiceId: string) => [...invoiceKeys.all(orgId), 'one', invoiceId] as const,
}

/** The PDF of an invoice, for the preview frame and the download link (the session cookie authorises it). */
export function invoicePdfUrl(orgId: string, invoiceId: string): string {
  return `/api/v1/orgs/${orgId}/invoices/${invoiceId}/pdf`
}

/** The PDF behind a client link. */
export function publicInvoicePdfUrl(token: string): string {
  return `/api/v1/public/invoices/${encodeURIComponent(token)}/pdf`
}

/** One page of an organization's invoices, newest first. */
export function useInvoices(orgId: string, status: InvoiceStatus | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: invoiceKeys.list(orgId, status, cursor),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/invoices', {
          params: { path: { org_id: orgId }, query: { status, cursor, limit: invoicesPageSize } },
          signal,
        }),
      ),
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === orgId ? keepPreviousData(previous) : undefined),
  })
}

/** One invoice with its lines and payments. */
export function useInvoice(orgId: string, invoiceId: string) {
  return useQuery({
    queryKey: invoiceKeys.one(orgId, invoiceId),
    enabled: invoiceId !== '',
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/invoices/{invoice_id}', { params: { path: { org_id: orgId, invoice_id: invoiceId } }, signal })),
  })
}

/** What create-from-time would bill for a project and period; nothing until both are chosen. */
export function useUnbilledTime(orgId: string, projectId: string, from: string, to: string) {
  return useQuery({
    queryKey: [...invoiceKeys.all(orgId), 'unbilled', projectId, from, to],
    enabled: projectId !== '' && from !== '' && to !== '' && from <= to,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/projects/{project_id}/unbilled-time', {
          params: { path: { org_id: orgId, project_id: projectId }, query: { from, to } },
          signal,
        }),
      ),
  })
}

/** The org's clients, for the editor's picker: the query every client picker shares. */
export { useClientOptions } from '@/features/clients/data/api'

function useInvalidate(orgId: string) {
  const queryClient = useQueryClient()
  // Billing time changes the timesheet's billed flags too.
  return () => Promise.all([
    queryClient.invalidateQueries({ queryKey: invoiceKeys.all(orgId) }),
    queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'time'] }),
  ])
}

/** Creates a draft; the idempotency key makes a repeated submission a replay, not a duplicate. */
export function useCreateInvoice(orgId: string) {
  const invalidate = useInvalidate(orgId)
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: InvoiceCreate; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/invoices', {
          params: { path: { org_id: orgId } },
          headers: { 'Idempotency-Key': idempotencyKey },
          body,
        }),
      ),
    onSuccess: invalidate,
  })
}

/** Bills a project's unbilled time into a new draft. */
export function useCreateInvoiceFromTime(orgId: string) {
  const invalidate = useInvalidate(orgId)
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: InvoiceFromTime; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/orgs/{org_id}/invoices/from-time', {
          params: { path: { org_id: orgId } },
          headers: { 'Idempotency-Key': idempotencyKey },
          body,
        }),
      ),
    onSuccess: invalidate,
  })
}

/** Edits a draft. */
export function useUpdateInvoice(orgId: string, invoiceId: string) {
  const invalidate = useInvalidate(orgId)
  return useMutation({
    mutationFn: (body: InvoiceUpdate) =>
      unwrap(api.PATCH('/api/v1/orgs/{org_id}/invoices/{invoice_id}', { params: { path: { org_id: orgId, invoice_id: invoiceId } }, body })),
    onSuccess: invalidate,
  })
}

/** Send, void and delete: the one-click actions of the invoice page. */
export function useInvoiceActions(orgId: string, invoiceId: string) {
  const invalidate = useInvalidate(orgId)
  const path = { params: { path: { org_id: orgId, invoice_id: invoiceId } } }
  return {
    send: useMutation({
      mutationFn: () => unwrap(api.POST('/api/v1/orgs/{org_id}/invoices/{invoice_id}/send', path)),
      onSuccess: invalidate,
    }),
    voidIt: useMutation({
      mutationFn: () => unwrap(api.POST('/api/v1/orgs/{org_id}/invoices/{invoice_id}/void', path)),
      onSuccess: invalidate,
    }),
    remove: useMutation({
      mutationFn: () => unwrap(api.DELETE('/api/v1/orgs/{org_id}/invoices/{invoice_id}', path)),
      onSuccess: invalidate,
    }),
    pay: useMutation({
      mutationFn: (body: InvoicePaymentCreate) =>
        unwrap(api.POST('/api/v1/orgs/{org_id}/invoices/{invoice_id}/payments', { ...path, body })),
      onSuccess: invalidate,
    }),
  }
}

/** The client-facing invoice behind a link (no sign-in). */
export function usePublicInvoice(token: string) {
  return useQuery({
    queryKey: ['public-invoices', token],
    enabled: token !== '',
    retry: false,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/public/invoices/{token}', { params: { path: { token } }, signal })),
  })
}
