import { describe, expect, it } from 'vitest'
import { parseProblem } from '@/api/errors'
import { featureAvailable, planFeatureError, planFeatureInfo } from './upgrade-prompt'

describe('featureAvailable', () => {
  it('follows the plan features the membership reports', () => {
    expect(featureAvailable(['client_portal', 'time_tracking'], 'client_portal')).toBe(true)
    expect(featureAvailable(['client_portal', 'time_tracking'], 'invoices')).toBe(false)
    expect(featureAvailable([], 'custom_branding')).toBe(false)
  })

  it('leaves the decision to the server while features are not reported', () => {
    expect(featureAvailable(undefined, 'invoices')).toBe(true)
  })
})

describe('planFeatureError', () => {
  it('recognises a 402 plan_feature_unavailable and keeps its sentence', () => {
    const refused = parseProblem(402, {
      code: 'plan_feature_unavailable',
      detail: 'Invoices is part of the Professional plan; upgrade to use it.',
      feature: 'invoices',
      plan: 'professional',
    })
    expect(planFeatureError(refused)?.detail).toBe('Invoices is part of the Professional plan; upgrade to use it.')
  })

  it('ignores other errors, including the plan limit 402', () => {
    expect(planFeatureError(parseProblem(402, { code: 'plan_limit_reached', detail: 'limit' }))).toBeNull()
    expect(planFeatureError(parseProblem(403, { code: 'forbidden' }))).toBeNull()
    expect(planFeatureError(new Error('x'))).toBeNull()
  })
})

describe('planFeatureInfo', () => {
  it('names the cheapest plan of each feature as the server does (Starter: client portal and time tracking)', () => {
    expect(Object.entries(planFeatureInfo).map(([f, i]) => [f, i.plan])).toEqual([
      ['client_portal', 'Starter'],
      ['time_tracking', 'Starter'],
      ['invoices', 'Professional'],
      ['custom_branding', 'Professional'],
      ['api_access', 'Professional'],
    ])
  })
})
