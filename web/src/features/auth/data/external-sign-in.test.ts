import { describe, expect, it } from 'vitest'
import { googleStartPath, ssoStartPath, withReturnTo } from './external-sign-in'

describe('external sign-in paths', () => {
  it('carry a path inside the app as return_to', () => {
    expect(googleStartPath('/orgs/o1/clients?page=2')).toBe('/api/v1/auth/google/start?return_to=%2Forgs%2Fo1%2Fclients%3Fpage%3D2')
    expect(ssoStartPath('o1', '/orgs/o1/projects')).toBe('/api/v1/auth/sso/o1/start?return_to=%2Forgs%2Fo1%2Fprojects')
    expect(withReturnTo('/api/v1/auth/sso/o1/start?x=1', '/orgs/o1')).toBe('/api/v1/auth/sso/o1/start?x=1&return_to=%2Forgs%2Fo1')
  })

  it('drop a missing, trivial or foreign destination', () => {
    expect(googleStartPath(null)).toBe('/api/v1/auth/google/start')
    expect(googleStartPath('/')).toBe('/api/v1/auth/google/start')
    expect(googleStartPath('https://evil.example/')).toBe('/api/v1/auth/google/start')
    expect(ssoStartPath('o1', '//evil.example')).toBe('/api/v1/auth/sso/o1/start')
  })
})
