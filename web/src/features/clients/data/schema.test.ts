import { describe, expect, it } from 'vitest'
import type { Client } from '@/api/types'
import { clientFormSchema, diffClient, toCreateBody, toFormInput, type ClientFormInput } from './schema'

const blank: ClientFormInput = toFormInput()

function errorsOf(input: Partial<ClientFormInput>): Record<string, string> {
  const result = clientFormSchema.safeParse({ ...blank, ...input })
  if (result.success) return {}
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]))
}

const stored: Client = {
  id: '0190d6a4-0000-7000-8000-000000000001',
  name: 'Acme Corp',
  email: 'hello@acme.com',
  phone: '',
  company: 'Acme',
  website: 'acme.com',
  notes: '',
  status: 'active',
  portal_enabled: false,
  portal_enabled_at: null,
  contact_count: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}

describe('clientFormSchema', () => {
  it('requires a name, ignoring surrounding spaces', () => {
    expect(errorsOf({ name: '' })).toEqual({ name: 'Name is required' })
    expect(errorsOf({ name: '   ' })).toEqual({ name: 'Name is required' })
    expect(errorsOf({ name: 'x'.repeat(201) })).toEqual({ name: 'Use at most 200 characters' })
  })

  it('accepts a client with only a name', () => {
    expect(errorsOf({ name: 'Acme Corp' })).toEqual({})
  })

  it('checks email only when one is given', () => {
    expect(errorsOf({ name: 'Acme', email: 'not-an-email' })).toEqual({ email: 'Enter a valid email address' })
    expect(errorsOf({ name: 'Acme', email: ' hello@acme.com ' })).toEqual({})
  })

  it('checks website only when given, and adds https:// to a bare domain', () => {
    expect(errorsOf({ name: 'Acme', website: 'not a url' })).toEqual({ website: 'Enter a valid URL, like https://example.com' })
    expect(errorsOf({ name: 'Acme', website: 'ftp://acme.com' })).toEqual({ website: 'Enter a valid URL, like https://example.com' })
    expect(errorsOf({ name: 'Acme', website: 'acme' })).toEqual({ website: 'Enter a valid URL, like https://example.com' })
    const parsed = clientFormSchema.parse({ ...blank, name: 'Acme', website: 'acme.com/about' })
    expect(parsed.website).toBe('https://acme.com/about')
    expect(clientFormSchema.parse({ ...blank, name: 'Acme', website: 'http://acme.com' }).website).toBe('http://acme.com')
  })

  it('only knows the two statuses', () => {
    expect(Object.keys(errorsOf({ name: 'Acme', status: 'deleted' as 'active' }))).toEqual(['status'])
  })
})

describe('toCreateBody', () => {
  it('sends the name and status, and only the optional fields that were filled', () => {
    const values = clientFormSchema.parse({ ...blank, name: ' Acme Corp ', email: 'hello@acme.com' })
    expect(toCreateBody(values)).toEqual({ name: 'Acme Corp', email: 'hello@acme.com', status: 'active' })
  })
})

describe('diffClient', () => {
  it('sends only what changed', () => {
    const values = clientFormSchema.parse({ ...toFormInput(stored), company: 'Acme Holdings' })
    expect(diffClient(stored, values)).toEqual({ company: 'Acme Holdings' })
  })

  it('sends nothing when nothing changed, even if the stored website lacks a scheme', () => {
    const values = clientFormSchema.parse(toFormInput(stored))
    expect(diffClient(stored, values)).toEqual({})
  })

  it('clears a field with an empty string and changes status', () => {
    const values = clientFormSchema.parse({ ...toFormInput(stored), email: '', status: 'archived' })
    expect(diffClient(stored, values)).toEqual({ email: '', status: 'archived' })
  })
})
