/** Whether a command label matches what was typed: every typed word starts a word of the label. */
export function matchesCommand(label: string, typed: string): boolean {
  const words = label.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  const wanted = typed.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  return wanted.length > 0 && wanted.every((w) => words.some((l) => l.startsWith(w)))
}

/** Whether the event is Ctrl-K or Cmd-K (any keyboard layout reporting "k"). */
export function isPaletteShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k'
}
