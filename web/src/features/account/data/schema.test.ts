import { describe, expect, it } from 'vitest'
import { twoFactorCodeSchema } from '@/features/auth/data/schema'
import { changePasswordSchema, profileSchema } from './schema'

describe('profileSchema', () => {
  const valid = { name: 'Ada', timezone: 'Europe/Paris', avatar_url: '' }
  it('accepts a known zone and an empty or https avatar', () => {
    expect(profileSchema.safeParse(valid).success).toBe(true)
    expect(profileSchema.safeParse({ ...valid, avatar_url: 'https://cdn.example.com/a.png' }).success).toBe(true)
  })
  it.each([
    ['timezone', 'Mars/Olympus_Mons'],
    ['avatar_url', 'http://cdn.example.com/a.png'],
    ['avatar_url', 'javascript:alert(1)'],
    ['name', '   '],
  ])('refuses %s = %s on its field', (field, value) => {
    const result = profileSchema.safeParse({ ...valid, [field]: value })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual([field])
  })
})

describe('changePasswordSchema', () => {
  it('wants the confirmation to match', () => {
    const result = changePasswordSchema.safeParse({ current_password: 'x', new_password: 'long enough', confirm: 'long enougH' })
    expect(result.error?.issues[0]?.path).toEqual(['confirm'])
  })
})

describe('twoFactorCodeSchema', () => {
  it('wants six digits from the app, anything from the backup list', () => {
    expect(twoFactorCodeSchema.safeParse({ code: '123 456', backup: false }).success).toBe(true)
    expect(twoFactorCodeSchema.safeParse({ code: 'ABCDE-FGHIJ', backup: false }).success).toBe(false)
    expect(twoFactorCodeSchema.safeParse({ code: 'ABCDE-FGHIJ', backup: true }).success).toBe(true)
  })
})
