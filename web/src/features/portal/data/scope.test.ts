import { describe, expect, it } from 'vitest'
import { brandVariables, safeColor } from './palette'
import { validateRequest } from './request'
import { portalApiUrl, portalPath } from './scope'
import type { Branding } from './types'

const orgId = '0190f5a0-0000-7000-8000-000000000001'
const clientId = '0190f5a0-0000-7000-8000-0000000000c1'

describe('portal scope', () => {
  it('adds client_id to API calls only while previewing', () => {
    expect(portalApiUrl({ orgId }, '/projects')).toBe(`/api/v1/orgs/${orgId}/portal/projects`)
    expect(portalApiUrl({ orgId, previewClientId: clientId }, '/projects')).toBe(`/api/v1/orgs/${orgId}/portal/projects?client_id=${clientId}`)
    expect(portalApiUrl({ orgId, previewClientId: clientId }, '/files', { project_id: 'p1', empty: '' })).toBe(
      `/api/v1/orgs/${orgId}/portal/files?project_id=p1&client_id=${clientId}`,
    )
  })
  it('keeps ?preview= on every portal link of a preview', () => {
    expect(portalPath({ orgId })).toBe(`/client-portal/${orgId}`)
    expect(portalPath({ orgId }, 'projects/p1')).toBe(`/client-portal/${orgId}/projects/p1`)
    expect(portalPath({ orgId, previewClientId: clientId }, '/files')).toBe(`/client-portal/${orgId}/files?preview=${clientId}`)
  })
})

describe('brand palette', () => {
  it('accepts only hex colours', () => {
    expect(safeColor('#0f766e')).toBe('#0f766e')
    expect(safeColor('#FFF')).toBe('#FFF')
    expect(safeColor('red; background: url(x)')).toBeUndefined()
    expect(safeColor('')).toBeUndefined()
  })
  it('maps the palette to the CSS variables, dropping invalid values', () => {
    const branding = {
      brand_color: '#0f766e',
      palette: { brand: '#0f766e', on_brand: '#ffffff', brand_text: '#0b5d56', brand_soft: 'expression(alert(1))' },
    } as Branding
    expect(brandVariables(branding)).toEqual({ '--brand': '#0f766e', '--on-brand': '#ffffff', '--brand-text': '#0b5d56' })
    expect(brandVariables(undefined)).toEqual({})
  })
})

describe('request form', () => {
  it('needs a project and a title', () => {
    expect(validateRequest({ project_id: '', title: '  ', description: '' })).toEqual({
      project_id: 'Choose the project this request is about.',
      title: 'Give the request a short title.',
    })
    expect(validateRequest({ project_id: 'p1', title: 'New banner', description: '' })).toEqual({})
  })
  it('refuses what the API would refuse', () => {
    const errors = validateRequest({ project_id: 'p1', title: 'x'.repeat(301), description: 'y'.repeat(10001) })
    expect(Object.keys(errors).sort()).toEqual(['description', 'title'])
  })
})
