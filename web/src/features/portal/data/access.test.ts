import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Membership } from '@/api/types'
import { homePath, rememberOrg } from '@/lib/last-org'
import { contactRedirect, isContact, portalAccess, type MembershipLike } from './access'

const agency = '0190f5a0-0000-7000-8000-000000000001'
const other = '0190f5a0-0000-7000-8000-000000000002'
const client = '0190f5a0-0000-7000-8000-0000000000c1'

const staff = (orgId: string, role = 'member'): MembershipLike => ({ organization: { id: orgId }, role, client_id: null })
const contact = (orgId: string): MembershipLike => ({ organization: { id: orgId }, role: 'client', client_id: client })

describe('isContact', () => {
  it('is true for role client, with or without the client link', () => {
    expect(isContact(contact(agency))).toBe(true)
    expect(isContact({ organization: { id: agency }, role: 'client' })).toBe(true)
  })
  it('is false for every staff role', () => {
    for (const role of ['owner', 'admin', 'manager', 'member']) expect(isContact(staff(agency, role))).toBe(false)
  })
})

describe('portalAccess', () => {
  it('opens the portal for a contact and ignores a ?preview= they add', () => {
    expect(portalAccess([contact(agency)], agency, null)).toEqual({ kind: 'contact' })
    expect(portalAccess([contact(agency)], agency, client)).toEqual({ kind: 'contact' })
  })
  it('opens a preview for staff with a client id', () => {
    expect(portalAccess([staff(agency, 'owner')], agency, client)).toEqual({ kind: 'preview', clientId: client })
  })
  it('sends staff without a (valid) preview back to the workspace', () => {
    expect(portalAccess([staff(agency)], agency, null)).toEqual({ kind: 'workspace', path: `/orgs/${agency}` })
    expect(portalAccess([staff(agency)], agency, 'not-an-id')).toEqual({ kind: 'workspace', path: `/orgs/${agency}` })
  })
  it('is not found for an organization the user is not in, whatever else they are', () => {
    expect(portalAccess([contact(other), staff(other)], agency, client)).toEqual({ kind: 'none' })
  })
  it('decides per organization for a person who is staff in one and a contact in another', () => {
    const both = [staff(other, 'admin'), contact(agency)]
    expect(portalAccess(both, agency, null)).toEqual({ kind: 'contact' })
    expect(portalAccess(both, other, null)).toEqual({ kind: 'workspace', path: `/orgs/${other}` })
  })
})

describe('contactRedirect', () => {
  it('sends a contact from the workspace to the portal', () => {
    expect(contactRedirect([contact(agency)], agency)).toBe(`/client-portal/${agency}`)
    expect(contactRedirect([contact(agency)], agency, `/orgs/${agency}/my-work`)).toBe(`/client-portal/${agency}`)
  })
  it('keeps a contact on the inbox the bell links to', () => {
    expect(contactRedirect([contact(agency)], agency, `/orgs/${agency}/notifications`)).toBe(`/client-portal/${agency}/notifications`)
  })
  it('leaves staff and non-members where they are', () => {
    expect(contactRedirect([staff(agency)], agency)).toBeNull()
    expect(contactRedirect([contact(other)], agency)).toBeNull()
  })
})

describe('homePath', () => {
  const membership = (m: MembershipLike) => ({ ...m, permissions: [], organization: { ...m.organization, name: 'Org' } }) as unknown as Membership
  beforeEach(() => {
    // The tests run without a DOM: a plain in-memory storage stands in for the browser's.
    const items = new Map<string, string>()
    vi.stubGlobal('localStorage', { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => items.set(k, v) })
  })

  it('lands a contact in the portal and staff in the workspace', () => {
    expect(homePath([membership(contact(agency))])).toBe(`/client-portal/${agency}`)
    expect(homePath([membership(staff(agency))])).toBe(`/orgs/${agency}/my-work`)
  })
  it('follows the remembered organization', () => {
    rememberOrg(agency)
    expect(homePath([membership(staff(other)), membership(contact(agency))])).toBe(`/client-portal/${agency}`)
    rememberOrg(other)
    expect(homePath([membership(staff(other)), membership(contact(agency))])).toBe(`/orgs/${other}/my-work`)
  })
  it('sends a user without organizations to onboarding', () => {
    expect(homePath([])).toBe('/onboarding')
  })
})
