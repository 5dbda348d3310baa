import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { orgAccessBlockFrom, orgIdFromPath } from './org-access-block'

const forbidden = (code: string) => new ApiError({ status: 403, code, title: 'Forbidden', detail: `because ${code}`, requestId: 'r1' })

describe('orgAccessBlockFrom', () => {
  it('turns sso_required and ip_not_allowed into a block of the organization in the path', () => {
    expect(orgAccessBlockFrom(forbidden('sso_required'), '/orgs/o1/projects/p1')).toEqual({
      orgId: 'o1',
      code: 'sso_required',
      detail: 'because sso_required',
      requestId: 'r1',
    })
    expect(orgAccessBlockFrom(forbidden('ip_not_allowed'), '/orgs/o1')).toMatchObject({ orgId: 'o1', code: 'ip_not_allowed' })
  })

  it('ignores other refusals, other errors and paths outside an organization', () => {
    expect(orgAccessBlockFrom(forbidden('forbidden'), '/orgs/o1')).toBeNull()
    expect(orgAccessBlockFrom(new Error('x'), '/orgs/o1')).toBeNull()
    expect(orgAccessBlockFrom(forbidden('sso_required'), '/account/profile')).toBeNull()
  })
})

describe('orgIdFromPath', () => {
  it('reads the organization segment', () => {
    expect(orgIdFromPath('/orgs/abc/settings/security')).toBe('abc')
    expect(orgIdFromPath('/client-portal/abc/projects')).toBe('abc')
    expect(orgIdFromPath('/account/security')).toBeNull()
  })
})
