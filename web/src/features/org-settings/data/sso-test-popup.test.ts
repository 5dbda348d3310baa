import { describe, expect, it } from 'vitest'
import { sameOriginOpener, ssoTestResultFromMessage, ssoTestResultFromSearch, withoutSSOTestParams } from './sso-test-popup'

const origin = 'https://app.example.com'

describe('ssoTestResultFromSearch', () => {
  it('reads a success with its email, an error, or nothing', () => {
    expect(ssoTestResultFromSearch(new URLSearchParams('sso_test=ok&email=ann%40acme.com'), 'o1')).toEqual({
      type: 'clientflow:sso-test',
      orgId: 'o1',
      ok: true,
      email: 'ann@acme.com',
    })
    expect(ssoTestResultFromSearch(new URLSearchParams('sso_error=Wrong+audience'), 'o1')).toMatchObject({ ok: false, error: 'Wrong audience' })
    expect(ssoTestResultFromSearch(new URLSearchParams('tab=x'), 'o1')).toBeNull()
  })

  it('leaves other parameters when the result is cleared from the URL', () => {
    expect(withoutSSOTestParams(new URLSearchParams('sso_test=ok&email=a%40b.c&x=1')).toString()).toBe('x=1')
  })
})

describe('ssoTestResultFromMessage', () => {
  const data = { type: 'clientflow:sso-test', orgId: 'o1', ok: true, email: 'ann@acme.com' }

  it('accepts this site’s message about this organization', () => {
    expect(ssoTestResultFromMessage({ origin, data }, origin, 'o1')).toEqual(data)
  })

  it('ignores other origins, other organizations and other messages', () => {
    expect(ssoTestResultFromMessage({ origin: 'https://evil.example', data }, origin, 'o1')).toBeNull()
    expect(ssoTestResultFromMessage({ origin, data }, origin, 'o2')).toBeNull()
    expect(ssoTestResultFromMessage({ origin, data: 'hello' }, origin, 'o1')).toBeNull()
    expect(ssoTestResultFromMessage({ origin, data: { ...data, ok: 'yes' } }, origin, 'o1')).toBeNull()
  })
})

describe('sameOriginOpener', () => {
  const self = { location: { origin } }

  it('is the opener when it is this site', () => {
    const opener = { location: { origin } }
    expect(sameOriginOpener({ ...self, opener } as unknown as Window)).toBe(opener)
  })

  it('is null without an opener, or when the opener is another site (reading it throws)', () => {
    expect(sameOriginOpener({ ...self, opener: null } as unknown as Window)).toBeNull()
    const foreign = {
      get location(): never {
        throw new Error('cross-origin')
      },
    }
    expect(sameOriginOpener({ ...self, opener: foreign } as unknown as Window)).toBeNull()
    expect(sameOriginOpener({ ...self, opener: { location: { origin: 'https://other.example' } } } as unknown as Window)).toBeNull()
  })
})
