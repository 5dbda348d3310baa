import { describe, expect, it } from 'vitest'
import type { OrganizationSettings } from '@/api/types'
import { diffSettings, settingsFormSchema, toSettingsInput, type SettingsFormInput } from './schema'

const stored: OrganizationSettings = {
  name: 'Acme Studio',
  sender_name: '',
  slug: 'acme-studio',
  logo_url: '',
  brand_color: '#4f46e5',
  timezone: 'UTC',
  currency: 'USD',
  session_timeout_minutes: 0,
  updated_at: '2026-11-27T00:00:00Z',
}

function errorsOf(input: Partial<SettingsFormInput>): Record<string, string> {
  const result = settingsFormSchema.safeParse({ ...toSettingsInput(stored), ...input })
  if (result.success) return {}
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]))
}

describe('settingsFormSchema', () => {
  it('accepts the stored settings', () => {
    expect(errorsOf({})).toEqual({})
  })

  it.each([
    ['slug', 'ab'],
    ['slug', 'Acme'],
    ['timezone', 'Mars/Olympus_Mons'],
    ['session_timeout_minutes', 4],
    ['session_timeout_minutes', 43201],
    ['name', '   '],
  ] as const)('refuses %s = %s', (field, value) => {
    expect(Object.keys(errorsOf({ [field]: value }))).toEqual([field])
  })

  it('accepts a timeout of 0 (off) and the bounds', () => {
    for (const minutes of [0, 5, 43200]) expect(errorsOf({ session_timeout_minutes: minutes })).toEqual({})
  })
})

describe('diffSettings', () => {
  it('sends only what changed, never the branding fields (the Branding section saves those)', () => {
    const values = settingsFormSchema.parse({ ...toSettingsInput(stored), brand_color: '#0A7F3F', currency: 'EUR' })
    expect(diffSettings(stored, values)).toEqual({ currency: 'EUR' })
  })

  it('sends nothing when nothing changed', () => {
    expect(diffSettings(stored, settingsFormSchema.parse(toSettingsInput(stored)))).toEqual({})
  })
})
