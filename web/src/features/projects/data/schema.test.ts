import { describe, expect, it } from 'vitest'
import { diffProject, minorUnits, projectFormSchema, toCreateBody, toFormInput } from './schema'
import type { Project } from './types'

const stored: Project = {
  id: '0190a4d2-0000-7000-8000-000000000001',
  client_id: null,
  name: 'Relaunch',
  description: '',
  status: 'active',
  start_date: '2026-05-04',
  due_date: null,
  budget: { amount: 150000, currency: 'EUR' },
  budget_minutes: 600,
  hourly_rate: 9000,
  archived: false,
  archived_at: null,
  portal_shared: true,
  portal_comments: true,
  created_at: '2026-05-01T00:00:00Z',
  updated_at: '2026-05-01T00:00:00Z',
}

describe('project form', () => {
  it('turns major units and hours into the API body', () => {
    const values = projectFormSchema('EUR').parse({
      ...toFormInput('EUR'),
      name: ' Site ',
      budget: { amount: '1500.50' },
      budget_minutes: '2.5',
      hourly_rate: '90',
      template_id: 'tpl',
    })
    expect(toCreateBody(values, 'EUR')).toEqual({
      name: 'Site',
      status: 'planning',
      budget: { amount: 150050, currency: 'EUR' },
      budget_minutes: 150,
      hourly_rate: 9000,
      template_id: 'tpl',
    })
  })

  it('uses the currency minor unit', () => {
    expect(minorUnits('JPY')).toBe(1)
    expect(minorUnits('EUR')).toBe(100)
  })

  it('rejects a due date before the start date and negative money', () => {
    const result = projectFormSchema('EUR').safeParse({ ...toFormInput('EUR'), name: 'X', start_date: '2026-02-02', due_date: '2026-02-01', hourly_rate: '-1' })
    expect(result.success).toBe(false)
    const paths = result.error?.issues.map((i) => i.path.join('.'))
    expect(paths).toContain('due_date')
    expect(paths).toContain('hourly_rate')
  })

  it('sends only what changed, and an empty budget to clear it', () => {
    const values = projectFormSchema('EUR').parse({ ...toFormInput('EUR', stored), name: 'Renamed', budget: { amount: '' } })
    expect(diffProject(stored, values, 'EUR')).toEqual({ name: 'Renamed', budget: {} })
  })

  it('reads money in either decimal style, by the currency digits', () => {
    const values = projectFormSchema('EUR').parse({ ...toFormInput('EUR'), name: 'Site', budget: { amount: '1.234,56' }, hourly_rate: '1,234.5', budget_minutes: '2,5' })
    expect(toCreateBody(values, 'EUR')).toMatchObject({ budget: { amount: 123456, currency: 'EUR' }, hourly_rate: 123450, budget_minutes: 150 })
    const yen = projectFormSchema('JPY').parse({ ...toFormInput('JPY'), name: 'Site', budget: { amount: '1,500' } })
    expect(toCreateBody(yen, 'JPY').budget).toEqual({ amount: 1500, currency: 'JPY' })
  })

  it('refuses more decimals than the currency has', () => {
    const result = projectFormSchema('JPY').safeParse({ ...toFormInput('JPY'), name: 'X', budget: { amount: '12,5' } })
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['budget.amount'])
  })

  it('shares new projects with the portal unless switched off, and sends the switches only when changed', () => {
    const shared = projectFormSchema('EUR').parse({ ...toFormInput('EUR'), name: 'Site' })
    expect(toCreateBody(shared, 'EUR')).not.toHaveProperty('portal_shared')
    const hidden = projectFormSchema('EUR').parse({ ...toFormInput('EUR'), name: 'Site', portal_shared: false, portal_comments: false })
    expect(toCreateBody(hidden, 'EUR')).toMatchObject({ portal_shared: false, portal_comments: false })
    const edited = projectFormSchema('EUR').parse({ ...toFormInput('EUR', stored), portal_comments: false })
    expect(diffProject(stored, edited, 'EUR')).toEqual({ portal_comments: false })
  })
})
