import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { firstPage, type CursorPages } from './cursor-pagination'

/** A list's filters kept in the URL (so they survive reloads and can be shared): read, set one, clear all. */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams()
  const setFilter = (name: string, value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        if (value) next.set(name, value)
        else next.delete(name)
        return next
      },
      { replace: true },
    )
  const clearFilters = () => setParams(new URLSearchParams(), { replace: true })
  return { params, setFilter, clearFilters }
}

/** Cursor pages that belong to one filter: when filterKey changes, the list starts again at page 1. */
export function useCursorPages(filterKey: string) {
  const [paging, setPaging] = useState({ filterKey, pages: firstPage() })
  const pages = paging.filterKey === filterKey ? paging.pages : firstPage()
  const goTo = (next: CursorPages) => setPaging({ filterKey, pages: next })
  return { pages, goTo }
}
