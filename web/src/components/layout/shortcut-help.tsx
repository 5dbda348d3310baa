import { useEffect, useSyncExternalStore } from 'react'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'

let open = false
const listeners = new Set<() => void>()
const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
function setOpen(next: boolean) {
  open = next
  for (const listener of listeners) listener()
}

/** Opens the keyboard shortcut help (the board's keyboard button does; so does `?`). */
export function openShortcutHelp() {
  setOpen(true)
}

/** Whether a key typed at `target` is text for a field rather than a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type)
  return ['textbox', 'searchbox', 'combobox'].includes(target.getAttribute('role') ?? '')
}

/** The shortcuts, in groups: key caps and what they do. Keep in step with the handlers they describe. */
export const shortcutGroups: { title: string; items: { keys: string[]; does: string }[] }[] = [
  {
    title: 'Anywhere',
    items: [
      { keys: ['?'], does: 'Show these shortcuts' },
      { keys: ['Ctrl', 'K'], does: 'Search and commands (⌘ K on a Mac)' },
      { keys: ['Tab'], does: 'First stop: “Skip to content”, past the navigation' },
      { keys: ['Esc'], does: 'Close a dialog or the task drawer' },
    ],
  },
  {
    title: 'On a board card',
    items: [
      { keys: ['Enter'], does: 'Open the task' },
      { keys: ['Space'], does: 'Pick the card up to move it (or M)' },
      { keys: ['←', '↑', '↓', '→'], does: 'Move the picked-up card within its column or to the next one' },
      { keys: ['Space'], does: 'Drop it there (or Enter)' },
      { keys: ['Esc'], does: 'Cancel the move' },
    ],
  },
]

/**
 * The keyboard shortcut help: `?` anywhere in the app opens it, except while typing in a field or an editor
 * (where `?` is text). Mounted once by the app shell.
 */
export function ShortcutHelp() {
  const isOpen = useSyncExternalStore(subscribe, () => open)
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return
      e.preventDefault()
      setOpen(true)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
  return (
    <Dialog open={isOpen} onOpenChange={setOpen}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>Press ? again any time you are not typing in a field.</DialogDescription>
        </DialogHeader>
        {shortcutGroups.map((group) => (
          <section key={group.title} className="grid gap-2">
            <h3 className="text-sm font-semibold">{group.title}</h3>
            <dl className="grid gap-1.5 text-sm">
              {group.items.map((item) => (
                <div key={item.does} className="flex items-center justify-between gap-4">
                  <dt className="flex shrink-0 gap-1">
                    {item.keys.map((key) => (
                      <kbd key={key} className="min-w-6 rounded border bg-muted px-1.5 py-0.5 text-center font-mono text-xs">
                        {key}
                      </kbd>
                    ))}
                  </dt>
                  <dd className="text-right text-muted-foreground">{item.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </DialogContent>
    </Dialog>
  )
}
