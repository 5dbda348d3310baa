import { describe, expect, it } from 'vitest'
import { addRecent, parseRecent, recentLimit, type RecentItem } from './recent'

const item = (id: string): RecentItem => ({ type: 'tasks', id, title: `Task ${id}`, href: `/orgs/o/projects/p/board?task=${id}` })

describe('addRecent', () => {
  it('puts the opened item first and keeps no duplicate', () => {
    const list = addRecent(addRecent(addRecent([], item('a')), item('b')), item('a'))
    expect(list.map((i) => i.id)).toEqual(['a', 'b'])
  })
  it('keeps the same id of another type apart', () => {
    const list = addRecent([item('a')], { ...item('a'), type: 'projects' })
    expect(list).toHaveLength(2)
  })
  it('keeps at most recentLimit items, dropping the oldest', () => {
    let list: RecentItem[] = []
    for (let i = 0; i < recentLimit + 3; i++) list = addRecent(list, item(String(i)))
    expect(list).toHaveLength(recentLimit)
    expect(list[0].id).toBe(String(recentLimit + 2))
    expect(list.at(-1)?.id).toBe('3')
  })
})

describe('parseRecent', () => {
  it('reads what addRecent stored', () => {
    const list = addRecent([], item('a'))
    expect(parseRecent(JSON.stringify(list))).toEqual(list)
  })
  it('drops malformed storage instead of failing', () => {
    expect(parseRecent(null)).toEqual([])
    expect(parseRecent('{not json')).toEqual([])
    expect(parseRecent('{"a":1}')).toEqual([])
    expect(parseRecent(JSON.stringify([{ type: 'tasks', id: 1, title: 'x', href: '/x' }, null, 'x']))).toEqual([])
  })
  it('drops an entry that would leave the app', () => {
    const bad = [
      { ...item('a'), href: 'https://evil.example/' },
      { ...item('b'), href: '//evil.example/' },
      { ...item('c'), href: 'javascript:alert(1)' },
      { ...item('d'), type: 'invoices' },
    ]
    expect(parseRecent(JSON.stringify([...bad, item('ok')])).map((i) => i.id)).toEqual(['ok'])
  })
})
