import { beforeEach, describe, expect, it, vi } from 'vitest'
import { forgetProject, recentProjects, rememberProject } from './recent-projects'

describe('recent projects', () => {
  beforeEach(() => {
    // The tests run without a DOM: a plain in-memory storage stands in for the browser's.
    const items = new Map<string, string>()
    vi.stubGlobal('localStorage', { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => items.set(k, v) })
  })

  it('lists the latest visits first, once each, at most five, per organization', () => {
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) rememberProject('org1', { id, name: id.toUpperCase() })
    rememberProject('org1', { id: 'c', name: 'C renamed' })
    rememberProject('org2', { id: 'x', name: 'X' })

    expect(recentProjects('org1').map((p) => p.name)).toEqual(['C renamed', 'F', 'E', 'D', 'B'])
    expect(recentProjects('org2').map((p) => p.id)).toEqual(['x'])
  })

  it('forgets a project and survives garbage in storage', () => {
    rememberProject('org1', { id: 'a', name: 'A' })
    forgetProject('org1', 'a')
    expect(recentProjects('org1')).toEqual([])
    localStorage.setItem('clientflow.recentProjects.org1', '{not json')
    expect(recentProjects('org1')).toEqual([])
  })
})
