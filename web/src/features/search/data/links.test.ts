import { describe, expect, it } from 'vitest'
import type { SearchHit } from './api'
import { countLabel, hitHref, segmentsText } from './links'

const hit = (over: Partial<SearchHit>): SearchHit => ({
  id: 'h',
  type: 'tasks',
  title: [],
  snippet: [],
  project_id: null,
  project_name: null,
  task_id: null,
  task_number: null,
  ...over,
})

describe('hitHref', () => {
  it('opens a task in its board drawer', () => {
    expect(hitHref('o', hit({ type: 'tasks', id: 't', task_id: 't', project_id: 'p' }))).toBe('/orgs/o/projects/p/board?task=t')
  })
  it('opens a comment and an attachment on their task', () => {
    expect(hitHref('o', hit({ type: 'comments', id: 'c', task_id: 't', project_id: 'p' }))).toBe('/orgs/o/projects/p/board?task=t')
    expect(hitHref('o', hit({ type: 'files', id: 'f', task_id: 't', project_id: 'p' }))).toBe('/orgs/o/projects/p/board?task=t')
  })
  it('opens a project file in the project files', () => {
    expect(hitHref('o', hit({ type: 'files', id: 'f', project_id: 'p' }))).toBe('/orgs/o/projects/p/files')
  })
  it('opens clients and projects on their pages', () => {
    expect(hitHref('o', hit({ type: 'clients', id: 'c' }))).toBe('/orgs/o/clients/c')
    expect(hitHref('o', hit({ type: 'projects', id: 'p', project_id: 'p' }))).toBe('/orgs/o/projects/p')
  })
})

describe('segmentsText and countLabel', () => {
  it('joins segments and marks a capped count', () => {
    expect(segmentsText([{ text: 'Web', match: true }, { text: 'site', match: false }])).toBe('Website')
    expect(countLabel(200, true)).toBe('200+')
    expect(countLabel(3, false)).toBe('3')
  })
})
