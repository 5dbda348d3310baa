// Browser test of two-factor sign-in against a running app: a new user enrols an authenticator from the
// Security page, signs out, and signs back in with a code computed here from the setup key the page shows.
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { before, test } from 'node:test'
import { ready, see, session, useBrowser, signUp, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** RFC 4648 base32 → bytes (the authenticator setup key). */
function base32(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0')
  return Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) at `at` milliseconds: what an authenticator app shows. */
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)))
  const mac = createHmac('sha1', base32(secret)).update(counter).digest()
  const offset = mac[mac.length - 1] & 0xf
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

test('a user turns on two-factor sign-in and signs back in with a code', { timeout: 120_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  const email = `e2e-2fa-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  let secret

  await step('sign up and open Account → Security from the user menu', async () => {
    await signUp(page, { name: 'Tess Factor', email, password })
    await page.goto('/account/profile')
    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByRole('menuitem', { name: 'Security' }).click()
    await page.waitForURL('**/account/security')
    await see(page.getByRole('heading', { name: /Two-factor sign-in/ }), 'the two-factor card')
  })

  await step('enrolment shows the QR code and the setup key, and a code turns it on', async () => {
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
    await see(page.getByRole('img', { name: 'QR code to scan with your authenticator app' }), 'the QR code')
    secret = (await page.getByLabel('Setup key').textContent()).trim()
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'the setup key is base32')
    await page.getByLabel('Code from the app').fill('000000')
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
    await see(page.getByText('is incorrect'), 'the wrong-code message on the field')
    await page.getByLabel('Code from the app').fill(totp(secret))
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
    const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem')
    await see(codes, 'the backup codes')
    assert.equal(await codes.count(), 10, 'ten backup codes')
    await page.getByRole('button', { name: 'I saved them' }).click()
    await see(page.getByRole('button', { name: 'Turn off two-factor sign-in' }), 'the enabled state')
  })

  await step('after signing out, sign-in asks for a code and a fresh one signs in', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL('**/sign-in')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await see(page.getByLabel('Authentication code'), 'the second sign-in step')
    // The enrolment spent the current 30 s step, so use the next one (the server accepts one step of drift).
    await page.getByLabel('Authentication code').fill(totp(secret, Date.now() + 30_000))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    await page.goto('/account/security')
    await see(page.getByRole('cell', { name: /This browser/ }), 'the current session in the sessions list')
  })
})
