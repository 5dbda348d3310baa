import { describe, expect, it } from 'vitest'
import { ApiError, parseProblem } from '@/api/errors'
import type { Invitation } from '@/api/types'
import { inviteErrorMessage, pendingInvitations } from './contacts'

const invitation = (id: string, status: Invitation['status']): Invitation => ({
  id,
  client_id: '0190d6a4-0000-7000-8000-00000000000c',
  email: `${id}@client.test`,
  role: 'client',
  status,
  invited_by: '',
  created_at: '2026-12-01T00:00:00Z',
  expires_at: '2026-12-08T00:00:00Z',
})

describe('inviteErrorMessage', () => {
  it('explains a 409 in a sentence naming the address', () => {
    const conflict = parseProblem(409, { code: 'conflict', detail: 'already a member of this organization' })
    expect(inviteErrorMessage(conflict, 'ann@acme.test')).toMatch(/^ann@acme\.test is already a member of this organization/)
  })

  it('shows the email field error of a 422', () => {
    const invalid = parseProblem(422, { code: 'validation_failed', detail: 'validation failed', errors: [{ location: 'body.email', message: 'not an email' }] })
    expect(inviteErrorMessage(invalid, 'x')).toBe('not an email')
  })

  it('falls back to the detail, then to a generic line', () => {
    expect(inviteErrorMessage(new ApiError({ status: 403, code: 'forbidden', title: 'Forbidden', detail: 'Not allowed.' }), 'x')).toBe('Not allowed.')
    expect(inviteErrorMessage(new Error('boom'), 'x')).toBe("Couldn't send the invitation.")
  })
})

describe('pendingInvitations', () => {
  it('keeps only invitations still waiting for an answer', () => {
    const list = { data: [], invitations: [invitation('a', 'pending'), invitation('b', 'accepted'), invitation('c', 'revoked')] }
    expect(pendingInvitations(list).map((i) => i.id)).toEqual(['a'])
    expect(pendingInvitations(undefined)).toEqual([])
  })
})
