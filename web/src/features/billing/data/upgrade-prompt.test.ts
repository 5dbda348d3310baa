import { describe, expect, it } from 'vitest'
import { parseProblem } from '@/api/errors'

describe('plan_limit_reached problems', () => {
  it('carry the limit, the usage and the plan for the upgrade prompt', () => {
    const error = parseProblem(402, {
      status: 402,
      title: 'Payment Required',
      detail: 'Your starter plan allows 20 clients; upgrade to add more.',
      code: 'plan_limit_reached',
      metric: 'clients',
      limit: 20,
      usage: 20,
      plan: 'starter',
    })
    expect(error.code).toBe('plan_limit_reached')
    expect(error.quota).toEqual({ metric: 'clients', limit: 20, usage: 20, plan: 'starter' })
  })

  it('are the only problems with a quota', () => {
    expect(parseProblem(402, { code: 'subscription_restricted', detail: 'read-only' }).quota).toBeUndefined()
  })
})
