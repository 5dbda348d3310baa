import { describe, expect, it } from 'vitest'
import { isDark } from './theme'

describe('isDark', () => {
  it('follows an explicit choice whatever the system says', () => {
    expect(isDark('dark', false)).toBe(true)
    expect(isDark('light', true)).toBe(false)
  })
  it('follows the system when the choice is system', () => {
    expect(isDark('system', true)).toBe(true)
    expect(isDark('system', false)).toBe(false)
  })
})
