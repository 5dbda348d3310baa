import { Loader2Icon, SearchIcon, XIcon } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { Input } from '@/components/ui/input'
import { useDebouncedValue } from '@/lib/use-debounced-value'

/**
 * The clients search box. Typing updates `value` 250 ms after the last key;
 * a change of `value` from outside (back button) is shown in the box.
 */
export function SearchInput({ value, onChange, busy }: { value: string; onChange: (value: string) => void; busy: boolean }) {
  const [text, setText] = useState(value)
  const debounced = useDebouncedValue(text, 250)
  const debouncedRef = useRef(debounced)
  debouncedRef.current = debounced

  useEffect(() => {
    if (debounced !== value) onChange(debounced)
    // Only the user's typing should push to the URL, not a change of `value`.
  }, [debounced])

  useEffect(() => {
    if (value !== debouncedRef.current) setText(value)
  }, [value])

  return (
    <div className="relative w-full sm:max-w-xs">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
      <Input
        type="search"
        aria-label="Search clients"
        placeholder="Search name, email or company"
        className="pr-9 pl-9 [&::-webkit-search-cancel-button]:hidden"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && text !== '') {
            event.preventDefault()
            setText('')
          }
        }}
      />
      <div className="absolute top-1/2 right-2 flex -translate-y-1/2 items-center">
        {busy ? (
          <Loader2Icon className="size-4 animate-spin text-muted-foreground" aria-label="Searching" />
        ) : (
          text !== '' && (
            <button
              type="button"
              className="grid size-6 place-items-center rounded text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring"
              aria-label="Clear search"
              onClick={() => setText('')}
            >
              <XIcon className="size-4" />
            </button>
          )
        )}
      </div>
    </div>
  )
}
