import { describe, expect, it } from 'vitest'
import { isPaletteShortcut, matchesCommand } from './commands'

describe('matchesCommand', () => {
  it('matches word prefixes in any order', () => {
    expect(matchesCommand('Go to billing', 'bill')).toBe(true)
    expect(matchesCommand('Go to billing', 'go bil')).toBe(true)
    expect(matchesCommand('Start timer', 'tim sta')).toBe(true)
  })
  it('does not match inside a word or nothing typed', () => {
    expect(matchesCommand('Go to billing', 'illing')).toBe(false)
    expect(matchesCommand('Go to billing', '  ')).toBe(false)
  })
})

describe('isPaletteShortcut', () => {
  const key = (over: Partial<KeyboardEvent>) => ({ key: 'k', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over })
  it('is Ctrl-K or Cmd-K', () => {
    expect(isPaletteShortcut(key({ ctrlKey: true }))).toBe(true)
    expect(isPaletteShortcut(key({ metaKey: true, key: 'K' }))).toBe(true)
  })
  it('is not a plain k or another chord', () => {
    expect(isPaletteShortcut(key({}))).toBe(false)
    expect(isPaletteShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(isPaletteShortcut(key({ ctrlKey: true, key: 'j' }))).toBe(false)
  })
})
