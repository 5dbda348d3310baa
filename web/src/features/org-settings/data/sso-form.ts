import { z } from 'zod'
import type { SSOConnection, SSOConnectionRequest, SSOPreset } from './security'

/** The SSO connection form's values (the client secret is write-only: empty keeps the stored one). */
export interface SSOFormValues {
  protocol: 'oidc' | 'saml'
  preset: SSOConnectionRequest['preset'] & string
  oidc_issuer: string
  oidc_client_id: string
  oidc_client_secret: string
  saml_source: 'url' | 'xml'
  saml_metadata_url: string
  saml_metadata_xml: string
  default_role: 'member' | 'manager' | 'admin'
}

const placeholder = /\{[^{}]+\}/

/** The {placeholders} still in an issuer (a preset's pattern the admin has not filled in yet). */
export function issuerPlaceholders(issuer: string): string[] {
  return [...issuer.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1])
}

/** Where the first {placeholder} sits in an issuer, to select it for typing over; null when there is none. */
export function placeholderRange(issuer: string): [number, number] | null {
  const match = placeholder.exec(issuer)
  return match ? [match.index, match.index + match[0].length] : null
}

/**
 * The issuer after choosing preset `key`: a provider's pattern replaces the field; "Other" keeps what the
 * admin typed, unless that is still another preset's untouched pattern.
 */
export function issuerForPreset(presets: readonly SSOPreset[], key: string, current: string): string {
  const chosen = presets.find((p) => p.key === key)
  if (chosen?.issuer) return chosen.issuer
  return presets.some((p) => p.issuer !== '' && p.issuer === current) ? '' : current
}

/** The form's starting values: the saved connection, or an empty OIDC one. */
export function ssoFormDefaults(connection: SSOConnection | null): SSOFormValues {
  return {
    protocol: connection?.protocol ?? 'oidc',
    preset: connection?.preset ?? 'custom',
    oidc_issuer: connection?.oidc_issuer ?? '',
    oidc_client_id: connection?.oidc_client_id ?? '',
    oidc_client_secret: '',
    saml_source: connection?.saml_metadata_xml && !connection.saml_metadata_url ? 'xml' : 'url',
    saml_metadata_url: connection?.saml_metadata_url ?? '',
    saml_metadata_xml: connection?.saml_metadata_xml ?? '',
    default_role: connection?.default_role ?? 'member',
  }
}

/** Checks what the server would refuse anyway, so the admin hears it at the field. */
export function ssoFormSchema(hasClientSecret: boolean) {
  return z
    .object({
      protocol: z.enum(['oidc', 'saml']),
      preset: z.enum(['custom', 'google_workspace', 'entra_id', 'okta']),
      oidc_issuer: z.string(),
      oidc_client_id: z.string(),
      oidc_client_secret: z.string(),
      saml_source: z.enum(['url', 'xml']),
      saml_metadata_url: z.string(),
      saml_metadata_xml: z.string(),
      default_role: z.enum(['member', 'manager', 'admin']),
    })
    .superRefine((v, ctx) => {
      const need = (path: keyof SSOFormValues, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
      if (v.protocol === 'oidc') {
        const issuer = v.oidc_issuer.trim()
        if (issuer === '') need('oidc_issuer', 'Enter the issuer URL of your identity provider.')
        else if (issuerPlaceholders(issuer).length > 0) {
          need('oidc_issuer', `Replace ${issuerPlaceholders(issuer).map((p) => `{${p}}`).join(' and ')} with your own value.`)
        } else if (!/^https?:\/\/\S+$/.test(issuer)) need('oidc_issuer', 'Enter a URL starting with https://.')
        if (v.oidc_client_id.trim() === '') need('oidc_client_id', 'Enter the client ID your IdP gave this application.')
        if (!hasClientSecret && v.oidc_client_secret === '') need('oidc_client_secret', 'Enter the client secret your IdP gave this application.')
      } else if (v.saml_source === 'url' && v.saml_metadata_url.trim() === '') {
        need('saml_metadata_url', 'Enter the metadata URL of your identity provider.')
      } else if (v.saml_source === 'xml' && v.saml_metadata_xml.trim() === '') {
        need('saml_metadata_xml', 'Paste the metadata XML of your identity provider.')
      }
    })
}

/** The request body for the form's protocol: only that protocol's fields, the secret only when typed. */
export function ssoRequestFrom(v: SSOFormValues): SSOConnectionRequest {
  if (v.protocol === 'oidc') {
    return {
      protocol: 'oidc',
      preset: v.preset,
      oidc_issuer: v.oidc_issuer.trim(),
      oidc_client_id: v.oidc_client_id.trim(),
      oidc_client_secret: v.oidc_client_secret || undefined,
      default_role: v.default_role,
    }
  }
  return {
    protocol: 'saml',
    saml_metadata_url: v.saml_source === 'url' ? v.saml_metadata_url.trim() : undefined,
    saml_metadata_xml: v.saml_source === 'xml' ? v.saml_metadata_xml.trim() : undefined,
    default_role: v.default_role,
  }
}
