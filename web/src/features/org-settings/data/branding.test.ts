import { describe, expect, it } from 'vitest'
import { logoProblem, maxLogoBytes } from './branding'

describe('logoProblem', () => {
  it.each(['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'])('accepts %s up to 1 MiB', (type) => {
    expect(logoProblem({ type, size: maxLogoBytes })).toBeNull()
  })

  it('refuses other types, oversized and empty files', () => {
    expect(logoProblem({ type: 'text/html', size: 10 })).toMatch(/PNG, JPEG, WebP or SVG/)
    expect(logoProblem({ type: 'image/gif', size: 10 })).toMatch(/PNG, JPEG, WebP or SVG/)
    expect(logoProblem({ type: 'image/png', size: maxLogoBytes + 1 })).toMatch(/1 MB/)
    expect(logoProblem({ type: 'image/png', size: 0 })).toMatch(/empty/)
  })
})
