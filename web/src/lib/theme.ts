/**
 * Light or dark: the person's choice ("light", "dark"), or the system's ("system", the default). The choice is
 * kept in localStorage under themeKey; index.html applies it before the first paint (the same rule as
 * isDark), so a dark page never flashes white. The `dark` class on <html> switches the colour tokens
 * (index.css).
 */
export type Theme = 'system' | 'light' | 'dark'

export const themeKey = 'clientflow.theme'

const systemDark = () => typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches

/** The stored choice; "system" when none (or storage is unavailable). */
export function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(themeKey)
    return t === 'light' || t === 'dark' ? t : 'system'
  } catch {
    return 'system'
  }
}

/** Whether a choice means dark, given what the system prefers. */
export function isDark(theme: Theme, systemPrefersDark: boolean): boolean {
  return theme === 'dark' || (theme === 'system' && systemPrefersDark)
}

/** Stores a choice and applies it now. */
export function setTheme(theme: Theme) {
  try {
    if (theme === 'system') localStorage.removeItem(themeKey)
    else localStorage.setItem(themeKey, theme)
  } catch {
    // Private windows may refuse storage: the choice then lasts for this page only.
  }
  applyTheme(theme)
}

/** Puts the `dark` class on <html> when the choice (or the system) says so. */
export function applyTheme(theme: Theme = storedTheme()) {
  document.documentElement.classList.toggle('dark', isDark(theme, systemDark()))
}

/** Follows the system's light/dark switch while the choice is "system"; returns the unsubscribe. */
export function followSystemTheme(): () => void {
  if (typeof window.matchMedia !== 'function') return () => {}
  const query = window.matchMedia('(prefers-color-scheme: dark)')
  const onChange = () => {
    if (storedTheme() === 'system') applyTheme('system')
  }
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}
