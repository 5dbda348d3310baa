import { z } from 'zod'
import type { Client, ClientCreate, ClientUpdate } from '@/api/types'

/** The statuses a client can have. */
export const clientStatuses = ['active', 'archived'] as const

/** A client's status. */
export type ClientStatus = (typeof clientStatuses)[number]

/** Reads a status from untrusted text (a URL parameter, an API string). */
export function parseClientStatus(value: string | null | undefined): ClientStatus | undefined {
  return clientStatuses.find((status) => status === value)
}

/** "acme.com" → "https://acme.com"; anything that already names a scheme is left alone. */
export function withScheme(value: string): string {
  if (value === '' || /^[a-z][a-z\d+.-]*:\/\//i.test(value)) return value
  return `https://${value}`
}

/** An http(s) URL whose host looks like a real site. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && (url.hostname.includes('.') || url.hostname === 'localhost')
  } catch {
    return false
  }
}

/** The client form's rules: name required; email and website checked only when given. */
export const clientFormSchema = z.object({
  name: z.string().trim().min(1, 'Name is required').max(200, 'Use at most 200 characters'),
  email: z
    .string()
    .trim()
    .refine((value) => value === '' || z.email().safeParse(value).success, 'Enter a valid email address'),
  phone: z.string().trim(),
  company: z.string().trim(),
  website: z
    .string()
    .trim()
    .transform(withScheme)
    .refine((value) => value === '' || isWebUrl(value), 'Enter a valid URL, like https://example.com'),
  notes: z.string().trim(),
  status: z.enum(clientStatuses),
})

/** What the form fields hold. */
export type ClientFormInput = z.input<typeof clientFormSchema>
/** The checked, normalised form values. */
export type ClientFormValues = z.output<typeof clientFormSchema>

const textFields = ['name', 'email', 'phone', 'company', 'website', 'notes'] as const

/** Every field the form edits, in the order the API names them. */
export const clientFormFields = [...textFields, 'status'] as const

/** The form's starting values: blank for a new client, the client's own otherwise. */
export function toFormInput(client?: Client): ClientFormInput {
  return {
    name: client?.name ?? '',
    email: client?.email ?? '',
    phone: client?.phone ?? '',
    company: client?.company ?? '',
    website: client?.website ?? '',
    notes: client?.notes ?? '',
    status: parseClientStatus(client?.status) ?? 'active',
  }
}

/** The POST body: the name, the status and only the optional fields that were filled in. */
export function toCreateBody(values: ClientFormValues): ClientCreate {
  const body: ClientCreate = { name: values.name, status: values.status }
  for (const field of textFields) {
    if (field !== 'name' && values[field] !== '') body[field] = values[field]
  }
  return body
}

/**
 * The PATCH body: only fields whose value differs from the client as stored.
 * The stored client goes through the same normalisation first, so an untouched
 * "acme.com" doesn't count as a change to "https://acme.com". Clearing a field
 * sends "".
 */
export function diffClient(original: Client, values: ClientFormValues): ClientUpdate {
  const parsed = clientFormSchema.safeParse(toFormInput(original))
  const before: ClientFormInput = parsed.success ? parsed.data : toFormInput(original)
  const changes: ClientUpdate = {}
  for (const field of textFields) {
    if (values[field] !== before[field]) changes[field] = values[field]
  }
  if (values.status !== before.status) changes.status = values.status
  return changes
}
