import { describe, expect, it } from 'vitest'
import { mayDeleteFile } from './permissions'

const holding = (...perms: string[]) => (p: string) => perms.includes(p)

describe('mayDeleteFile', () => {
  it('lets files.delete holders delete anyone’s file', () => {
    expect(mayDeleteFile(holding('files.delete'), 'me', 'someone-else')).toBe(true)
    expect(mayDeleteFile(holding('files.delete'), 'me', '')).toBe(true)
  })
  it('lets uploaders with files.write delete only their own file', () => {
    expect(mayDeleteFile(holding('files.write'), 'me', 'me')).toBe(true)
    expect(mayDeleteFile(holding('files.write'), 'me', 'someone-else')).toBe(false)
  })
  it('never treats a departed uploader’s file as your own', () => {
    expect(mayDeleteFile(holding('files.write'), undefined, '')).toBe(false)
    expect(mayDeleteFile(holding('files.write'), '', '')).toBe(false)
  })
  it('refuses without files.write even for your own upload', () => {
    expect(mayDeleteFile(holding('files.read'), 'me', 'me')).toBe(false)
  })
})
