import { useEffect, useId, useRef, useState } from 'react'
import Mention from '@tiptap/extension-mention'
import { EditorContent, useEditor, type JSONContent } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { Button } from '@/components/ui/button'
import type { CommentWrite } from '../data/api'
import { mentionSuggestion, type Mentionable, type SuggestionState } from './mention-suggestion'

interface CommentEditorProps {
  people: Mentionable[]
  initial?: JSONContent
  submitLabel: string
  pending: boolean
  error?: string
  onSubmit: (body: CommentWrite) => Promise<unknown>
  onCancel?: () => void
  /** Offers the "Internal (hidden from the client)" checkbox (new comments only). */
  internalOption?: boolean
}

/** A rich-text comment box (Tiptap) where typing @ suggests project members to mention. */
export function CommentEditor({ people, initial, submitLabel, pending, error, onSubmit, onCancel, internalOption = false }: CommentEditorProps) {
  const internalId = useId()
  const [internal, setInternal] = useState(false)
  const peopleRef = useRef(people)
  useEffect(() => {
    peopleRef.current = people
  }, [people])
  const [suggestion, setSuggestion] = useState<SuggestionState | null>(null)
  const [empty, setEmpty] = useState(!initial)

  const editor = useEditor({
    extensions: [
      StarterKit,
      Mention.configure({ suggestion: mentionSuggestion(() => peopleRef.current, setSuggestion) }),
    ],
    content: initial ?? '',
    editorProps: { attributes: { class: 'rich-text min-h-16 rounded-md border px-3 py-2 focus:outline-none', 'aria-label': 'Comment' } },
    onUpdate: ({ editor }) => setEmpty(editor.isEmpty),
  })

  const submit = async () => {
    if (!editor || editor.isEmpty) return
    try {
      const body: CommentWrite = { body_json: editor.getJSON() as Record<string, unknown>, body_html: editor.getHTML() }
      if (internalOption) body.internal = internal
      await onSubmit(body)
      if (!initial) {
        editor.commands.clearContent(true)
        setInternal(false)
      }
    } catch {
      // The caller shows the error; the text stays for another try.
    }
  }

  return (
    <div className="relative space-y-2">
      <EditorContent editor={editor} />
      {suggestion && suggestion.items.length > 0 && (
        <ul
          role="listbox"
          aria-label="People to mention"
          className="fixed z-50 min-w-48 rounded-md border bg-popover p-1 text-sm shadow-md"
          style={{ top: (suggestion.rect?.bottom ?? 0) + 4, left: suggestion.rect?.left ?? 0 }}
        >
          {suggestion.items.map((p, i) => (
            <li
              key={p.id}
              role="option"
              aria-selected={i === suggestion.selected}
              className={`cursor-pointer rounded px-2 py-1 ${i === suggestion.selected ? 'bg-accent' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault()
                suggestion.pick(p)
              }}
            >
              {p.label}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {internalOption && (
          <label htmlFor={internalId} className="mr-auto inline-flex items-center gap-2 text-sm">
            <input id={internalId} type="checkbox" className="size-4" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
            Internal (hidden from the client)
          </label>
        )}
        <Button type="button" size="sm" disabled={pending || empty} onClick={submit}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </div>
  )
}
