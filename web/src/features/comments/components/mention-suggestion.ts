import type { SuggestionOptions, SuggestionProps } from '@tiptap/suggestion'

/** Someone who can be mentioned. */
export interface Mentionable {
  id: string
  label: string
}

/** What the suggestion popup shows: matching people, where, and how to pick one. */
export interface SuggestionState {
  items: Mentionable[]
  selected: number
  rect: DOMRect | null
  pick: (item: Mentionable) => void
}

/**
 * Builds Tiptap's suggestion options for @mentions. People come from getPeople (kept current by the caller);
 * the popup itself is React state the editor component renders, driven through onState.
 */
export function mentionSuggestion(
  getPeople: () => Mentionable[],
  onState: (s: SuggestionState | null) => void,
): Omit<SuggestionOptions<Mentionable>, 'editor'> {
  return {
    items: ({ query }) =>
      getPeople()
        .filter((p) => p.label.toLowerCase().includes(query.toLowerCase()))
        .slice(0, 8),
    render: () => {
      let state: SuggestionState | null = null
      const show = (props: SuggestionProps<Mentionable>, selected: number) => {
        state = {
          items: props.items,
          selected,
          rect: props.clientRect?.() ?? null,
          pick: (item) => props.command({ id: item.id, label: item.label }),
        }
        onState(state)
      }
      return {
        onStart: (props) => show(props, 0),
        onUpdate: (props) => show(props, 0),
        onKeyDown: ({ event }) => {
          if (!state || state.items.length === 0) return false
          const n = state.items.length
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            state = { ...state, selected: (state.selected + (event.key === 'ArrowDown' ? 1 : n - 1)) % n }
            onState(state)
            return true
          }
          if (event.key === 'Enter' || event.key === 'Tab') {
            state.pick(state.items[state.selected])
            return true
          }
          if (event.key === 'Escape') {
            onState(null)
            return true
          }
          return false
        },
        onExit: () => {
          state = null
          onState(null)
        },
      }
    },
  }
}
