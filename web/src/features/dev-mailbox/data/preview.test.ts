import { describe, expect, it } from 'vitest'
import { verifyLinkPath, withLinksInNewTab } from './preview'

const token = '01a21afe-32d0-754e-82af-2fd34245c073.1796353996.HbZIGtviNfA2W_K411CvZash_N_keYTDl6vNh5PWj5I'

describe('verifyLinkPath', () => {
  it('finds the link in a welcome email and keeps only its path', () => {
    const text = `Welcome, Erin!\n\nConfirm your email address:\n\nhttp://localhost:8080/verify-email?token=${token}\n\nYou can sign in any time at http://localhost:8080.`
    expect(verifyLinkPath(text)).toBe(`/verify-email?token=${token}`)
  })

  it('keeps an escaped token escaped, and drops trailing punctuation and other parameters', () => {
    expect(verifyLinkPath('Open https://app.example.com/verify-email?token=a%2Bb%2Fc%3D&utm=x.')).toBe('/verify-email?token=a%2Bb%2Fc%3D')
    expect(verifyLinkPath('(see https://app.example.com/verify-email?token=abc).')).toBe('/verify-email?token=abc')
  })

  it('accepts a relative link', () => {
    expect(verifyLinkPath('go to /verify-email?token=abc now')).toBe('/verify-email?token=abc')
  })

  it('returns null without a verify link or token', () => {
    expect(verifyLinkPath('Sign in at http://localhost:8080/sign-in')).toBeNull()
    expect(verifyLinkPath('http://localhost:8080/verify-email?token=')).toBeNull()
    expect(verifyLinkPath('http://localhost:8080/verify-email?next=/')).toBeNull()
    expect(verifyLinkPath('')).toBeNull()
  })

  it('skips a look-alike path and finds the real link after it', () => {
    expect(verifyLinkPath(`http://x.test/not/verify-email?token=bad then http://x.test/verify-email?token=${token}`)).toBe(
      `/verify-email?token=${token}`,
    )
  })
})

describe('withLinksInNewTab', () => {
  it('puts the base element first in the head', () => {
    expect(withLinksInNewTab('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hi</title></head><body><a href="x">x</a></body></html>')).toBe(
      '<!doctype html><html lang="en"><head><base target="_blank"><meta charset="utf-8"><title>Hi</title></head><body><a href="x">x</a></body></html>',
    )
    expect(withLinksInNewTab('<HEAD data-x="1"></HEAD>')).toBe('<HEAD data-x="1"><base target="_blank"></HEAD>')
  })

  it('is not fooled by elements whose names start with "head"', () => {
    expect(withLinksInNewTab('<html><header>Hi</header></html>')).toBe('<html><head><base target="_blank"></head><header>Hi</header></html>')
  })

  it('adds a head when the email has none', () => {
    expect(withLinksInNewTab('<!DOCTYPE html><p>Hi</p>')).toBe('<!DOCTYPE html><base target="_blank"><p>Hi</p>')
    expect(withLinksInNewTab('<p>Hi</p>')).toBe('<base target="_blank"><p>Hi</p>')
  })
})
