import { EditorContent, useEditor, type JSONContent } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { BoldIcon, ItalicIcon, ListIcon, ListOrderedIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'

/** The editor's output: the document for editing again and HTML for display (sanitised by the server). */
export interface RichTextValue {
  json: Record<string, unknown>
  html: string
}

/** A Tiptap editor with a small toolbar; `onSave` fires when the user leaves the editor after changes. */
export function RichTextEditor({ label, value, editable, onSave }: {
  label: string
  value: RichTextValue
  editable: boolean
  onSave: (value: RichTextValue) => void
}) {
  const content = Object.keys(value.json).length > 0 ? (value.json as JSONContent) : value.html
  const editor = useEditor({
    extensions: [StarterKit],
    content,
    editable,
    editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', class: 'rich-text min-h-24 rounded-md border p-3 outline-none focus-visible:ring-[3px] focus-visible:ring-ring' } },
    onBlur: ({ editor }) => {
      const html = editor.getHTML()
      if (html !== value.html) onSave({ json: editor.getJSON() as Record<string, unknown>, html })
    },
  })
  if (!editor) return null
  const tool = (name: string, icon: React.ReactNode, run: () => void, active: boolean) => (
    <Button type="button" size="icon" variant={active ? 'secondary' : 'ghost'} className="size-7" aria-label={name} aria-pressed={active} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {icon}
    </Button>
  )
  return (
    <div className="grid gap-1">
      {editable && (
        <div className="flex gap-1" role="toolbar" aria-label={`${label} formatting`}>
          {tool('Bold', <BoldIcon aria-hidden="true" />, () => editor.chain().focus().toggleBold().run(), editor.isActive('bold'))}
          {tool('Italic', <ItalicIcon aria-hidden="true" />, () => editor.chain().focus().toggleItalic().run(), editor.isActive('italic'))}
          {tool('Bullet list', <ListIcon aria-hidden="true" />, () => editor.chain().focus().toggleBulletList().run(), editor.isActive('bulletList'))}
          {tool('Numbered list', <ListOrderedIcon aria-hidden="true" />, () => editor.chain().focus().toggleOrderedList().run(), editor.isActive('orderedList'))}
        </div>
      )}
      <EditorContent editor={editor} />
    </div>
  )
}
