/**
 * Keyset pagination moves forward only: the server hands out an opaque
 * next_cursor. Going back means remembering every cursor used so far.
 * `stack[i]` is the cursor that fetched page i+1; page 1 has none.
 */
export interface CursorPages {
  stack: (string | undefined)[]
}

/** Page 1. */
export function firstPage(): CursorPages {
  return { stack: [undefined] }
}

/** The cursor to fetch the current page with. */
export function currentCursor(pages: CursorPages): string | undefined {
  return pages.stack[pages.stack.length - 1]
}

/** 1-based number of the current page. */
export function pageNumber(pages: CursorPages): number {
  return pages.stack.length
}

/** Whether a previous page exists. */
export function hasPrevious(pages: CursorPages): boolean {
  return pages.stack.length > 1
}

/** Moves to the page after the current one; without a next cursor (last page) nothing changes. */
export function nextPage(pages: CursorPages, nextCursor: string | null | undefined): CursorPages {
  if (!nextCursor) return pages
  return { stack: [...pages.stack, nextCursor] }
}

/** Moves back one page; on page 1 nothing changes. */
export function previousPage(pages: CursorPages): CursorPages {
  if (!hasPrevious(pages)) return pages
  return { stack: pages.stack.slice(0, -1) }
}
