import { describe, expect, it } from 'vitest'
import { safeNextPath, signInPath } from './redirect'

describe('safeNextPath', () => {
  it('accepts paths inside the app', () => {
    expect(safeNextPath('/orgs/1/clients?q=acme')).toBe('/orgs/1/clients?q=acme')
  })

  it('rejects other origins and auth pages', () => {
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/sign-in', '', null]) {
      expect(safeNextPath(next)).toBeNull()
    }
  })
})

describe('signInPath', () => {
  it('brings the user back to where the session ended', () => {
    expect(signInPath('/orgs/1/clients?q=a b')).toBe('/sign-in?next=%2Forgs%2F1%2Fclients%3Fq%3Da%20b')
    expect(signInPath('/')).toBe('/sign-in')
  })
})
