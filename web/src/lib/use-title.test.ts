import { describe, expect, it } from 'vitest'
import { documentTitle } from './use-title'

describe('documentTitle', () => {
  it('names the page, then the project it is in, then the app', () => {
    expect(documentTitle('Board', { project: 'Website relaunch', org: 'Acme' })).toBe('Board · Website relaunch · ClientFlow')
  })
  it('names the organization when the page is not in a project', () => {
    expect(documentTitle('Clients', { org: 'Acme' })).toBe('Clients · Acme · ClientFlow')
  })
  it('leaves out what is not known yet', () => {
    expect(documentTitle('Sign in', {})).toBe('Sign in · ClientFlow')
    expect(documentTitle(undefined, { org: 'Acme' })).toBe('Acme · ClientFlow')
    expect(documentTitle(undefined, {})).toBe('ClientFlow')
  })
})
