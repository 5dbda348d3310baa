import { describe, expect, it } from 'vitest'
import { issuerForPreset, issuerPlaceholders, placeholderRange, ssoFormDefaults, ssoFormSchema, ssoRequestFrom } from './sso-form'

const presets = [
  { key: 'google_workspace', label: 'Google Workspace', issuer: 'https://accounts.google.com' },
  { key: 'entra_id', label: 'Microsoft Entra ID (Azure AD)', issuer: 'https://login.microsoftonline.com/{tenant-id}/v2.0' },
  { key: 'okta', label: 'Okta', issuer: 'https://{your-org}.okta.com' },
  { key: 'custom', label: 'Other OIDC provider', issuer: '' },
]

describe('issuerForPreset', () => {
  it('fills the chosen provider’s pattern over whatever was typed', () => {
    expect(issuerForPreset(presets, 'entra_id', 'https://idp.example.com')).toBe('https://login.microsoftonline.com/{tenant-id}/v2.0')
    expect(issuerForPreset(presets, 'google_workspace', '')).toBe('https://accounts.google.com')
  })

  it('keeps a typed issuer for Other, but clears an untouched pattern', () => {
    expect(issuerForPreset(presets, 'custom', 'https://idp.example.com')).toBe('https://idp.example.com')
    expect(issuerForPreset(presets, 'custom', 'https://{your-org}.okta.com')).toBe('')
    expect(issuerForPreset(presets, 'custom', 'https://acme.okta.com')).toBe('https://acme.okta.com')
  })
})

describe('issuer placeholders', () => {
  it('finds what is left to fill in and where', () => {
    expect(issuerPlaceholders('https://login.microsoftonline.com/{tenant-id}/v2.0')).toEqual(['tenant-id'])
    expect(issuerPlaceholders('https://login.microsoftonline.com/4f1c/v2.0')).toEqual([])
    expect(placeholderRange('https://{your-org}.okta.com')).toEqual([8, 18])
    expect(placeholderRange('https://acme.okta.com')).toBeNull()
  })
})

describe('ssoFormSchema', () => {
  const oidc = { ...ssoFormDefaults(null), oidc_issuer: 'https://acme.okta.com', oidc_client_id: 'abc', oidc_client_secret: 's3cret' }

  it('refuses an issuer with its placeholder still in it', () => {
    const result = ssoFormSchema(false).safeParse({ ...oidc, oidc_issuer: 'https://{your-org}.okta.com' })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('Replace {your-org} with your own value.')
  })

  it('needs a secret only when none is stored', () => {
    expect(ssoFormSchema(false).safeParse({ ...oidc, oidc_client_secret: '' }).success).toBe(false)
    expect(ssoFormSchema(true).safeParse({ ...oidc, oidc_client_secret: '' }).success).toBe(true)
  })

  it('needs the SAML metadata from the chosen source', () => {
    const saml = { ...ssoFormDefaults(null), protocol: 'saml' as const }
    expect(ssoFormSchema(false).safeParse({ ...saml, saml_source: 'url' }).error?.issues[0]?.path).toEqual(['saml_metadata_url'])
    expect(ssoFormSchema(false).safeParse({ ...saml, saml_source: 'xml', saml_metadata_xml: '<EntityDescriptor/>' }).success).toBe(true)
  })
})

describe('ssoRequestFrom', () => {
  it('sends only the protocol’s fields, and the secret only when typed', () => {
    const v = { ...ssoFormDefaults(null), oidc_issuer: ' https://acme.okta.com ', oidc_client_id: 'abc', saml_metadata_url: 'https://x' }
    expect(ssoRequestFrom(v)).toEqual({
      protocol: 'oidc',
      preset: 'custom',
      oidc_issuer: 'https://acme.okta.com',
      oidc_client_id: 'abc',
      oidc_client_secret: undefined,
      default_role: 'member',
    })
    expect(ssoRequestFrom({ ...v, protocol: 'saml', saml_source: 'url' })).toEqual({
      protocol: 'saml',
      saml_metadata_url: 'https://x',
      saml_metadata_xml: undefined,
      default_role: 'member',
    })
  })
})
