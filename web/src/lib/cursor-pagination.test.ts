import { describe, expect, it } from 'vitest'
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage } from './cursor-pagination'

describe('cursor pagination', () => {
  it('starts on page 1 without a cursor and nothing before it', () => {
    const pages = firstPage()
    expect(pageNumber(pages)).toBe(1)
    expect(currentCursor(pages)).toBeUndefined()
    expect(hasPrevious(pages)).toBe(false)
  })

  it('walks forward with the server cursors and back through the same pages', () => {
    const page2 = nextPage(firstPage(), 'c2')
    const page3 = nextPage(page2, 'c3')
    expect(pageNumber(page3)).toBe(3)
    expect(currentCursor(page3)).toBe('c3')

    const back = previousPage(page3)
    expect(pageNumber(back)).toBe(2)
    expect(currentCursor(back)).toBe('c2')
    expect(currentCursor(previousPage(back))).toBeUndefined()
  })

  it('stays put past either end', () => {
    const last = nextPage(firstPage(), 'c2')
    expect(nextPage(last, null)).toBe(last)
    expect(nextPage(last, '')).toBe(last)
    const first = firstPage()
    expect(previousPage(first)).toBe(first)
  })

  it('does not change the state it was given', () => {
    const pages = nextPage(firstPage(), 'c2')
    nextPage(pages, 'c3')
    previousPage(pages)
    expect(pages.stack).toEqual([undefined, 'c2'])
  })
})
