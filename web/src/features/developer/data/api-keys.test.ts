import { describe, expect, it } from 'vitest'
import { apiKeyCreateBody, apiKeyHint, apiKeySchema, scopeGroups } from './api-keys'

describe('apiKeySchema', () => {
  it('needs a name and, when limiting, at least one permission', () => {
    expect(apiKeySchema.safeParse({ name: '  ', expiresIn: '30d', limitScopes: false, scopes: [] }).success).toBe(false)
    const empty = apiKeySchema.safeParse({ name: 'CI', expiresIn: '30d', limitScopes: true, scopes: [] })
    expect(empty.success).toBe(false)
    expect(empty.error?.issues[0]?.path).toEqual(['scopes'])
    expect(apiKeySchema.safeParse({ name: 'CI', expiresIn: 'never', limitScopes: false, scopes: [] }).success).toBe(true)
  })
})

describe('apiKeyCreateBody', () => {
  it('sends scopes only when the key is limited', () => {
    expect(apiKeyCreateBody({ name: 'CI', expiresIn: '90d', limitScopes: false, scopes: ['clients.read'] })).toEqual({
      name: 'CI',
      expires_in: '90d',
      scopes: undefined,
    })
    expect(apiKeyCreateBody({ name: 'CI', expiresIn: '90d', limitScopes: true, scopes: ['clients.read'] }).scopes).toEqual(['clients.read'])
  })
})

describe('scopeGroups', () => {
  const catalogue = [
    { key: 'clients.read', group: 'Clients', description: 'See clients' },
    { key: 'clients.write', group: 'Clients', description: 'Create and edit clients' },
    { key: 'billing.manage', group: 'Billing', description: 'Manage the subscription' },
    { key: 'api_keys.manage', group: 'Integrations', description: 'Manage API keys' },
  ]

  it('offers only what the member holds, grouped in catalogue order', () => {
    expect(scopeGroups(['api_keys.manage', 'clients.read'], catalogue)).toEqual([
      { group: 'Clients', items: [{ key: 'clients.read', label: 'See clients (clients.read)' }] },
      { group: 'Integrations', items: [{ key: 'api_keys.manage', label: 'Manage API keys (api_keys.manage)' }] },
    ])
  })

  it('falls back to the keys grouped by prefix without the catalogue', () => {
    expect(scopeGroups(['clients.read', 'clients.write', 'api_keys.manage'], undefined)).toEqual([
      { group: 'Clients', items: [{ key: 'clients.read', label: 'clients.read' }, { key: 'clients.write', label: 'clients.write' }] },
      { group: 'Api keys', items: [{ key: 'api_keys.manage', label: 'api_keys.manage' }] },
    ])
  })
})

it('apiKeyHint shows the prefix and the last four', () => {
  expect(apiKeyHint({ prefix: 'cf_test_1a2B', last_four: 'wxyz' })).toBe('cf_test_1a2B…wxyz')
})
