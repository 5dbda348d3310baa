// Browser test of organization settings against a running app: the owner changes the brand colour and
// sender name in Settings → Branding and sees the app repainted, then deletes the organization and lands
// on onboarding.
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { ready, see, session, useBrowser, createOrganization, signUp, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** Waits until the document's --primary custom property (the theme's primary colour) is `color`. */
async function waitForPrimary(color, what) {
  try {
    await page.waitForFunction((c) => getComputedStyle(document.documentElement).getPropertyValue('--primary').trim() === c, color)
  } catch {
    assert.fail(`Expected the app's primary colour to become ${color} ${what} on ${page.url()}`)
  }
}

// waitForBackground polls because buttons animate colour changes (a CSS transition): a single read can
// land mid-transition and see an interpolated colour.
async function waitForBackground(locator, want, what) {
  let got = ''
  for (let i = 0; i < 50; i++) {
    got = await locator.evaluate((el) => getComputedStyle(el).backgroundColor)
    if (got === want) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.equal(got, want, what)
}

test('an owner rebrands the organization, then deletes it', { timeout: 180_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  const orgName = `Brand Agency ${stamp}`
  let settingsPath

  await step('sign up and create an organization', async () => {
    await signUp(page, { name: 'Bea Brand', email: `brand-${stamp}@example.com`, password: `correct horse ${stamp}` })
    await createOrganization(page, orgName)
  })

  await step('the owner opens Settings from the navigation', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}\/settings$/)
    settingsPath = new URL(page.url()).pathname
    await see(page.getByRole('heading', { name: 'General' }), 'the General section')
    await see(page.getByRole('heading', { name: 'Danger zone' }), 'the owner-only danger zone')
  })

  await step('a bad colour is refused on the field', async () => {
    await see(page.getByRole('heading', { name: 'Branding' }), 'the Branding section (trials have custom branding)')
    await page.getByLabel('Brand colour', { exact: true }).fill('green')
    await page.getByRole('button', { name: 'Save branding' }).click()
    await see(page.getByText('Use a hex colour like #4f46e5'), 'the colour error')
  })

  await step('a new brand colour is previewed live with its contrast, saved and applied to the app', async () => {
    await page.getByLabel('Brand colour', { exact: true }).fill('#0a7f3f')
    const preview = page.getByTestId('brand-preview-button')
    await waitForBackground(preview, 'rgb(10, 127, 63)', 'live preview')
    await see(page.getByRole('list', { name: 'Contrast' }).getByText(/passes AA/).first(), 'the contrast verdict')
    await page.getByLabel('Sender name', { exact: true }).fill('Brand Agency')
    await see(page.getByText('From: Brand Agency via ClientFlow'), 'the sender preview')
    await page.getByRole('button', { name: 'Save branding' }).click()
    await see(page.getByText('Branding saved'), 'the saved toast')
    await waitForPrimary('#0a7f3f', 'after saving')
    await page.reload()
    await see(page.getByRole('heading', { name: 'General' }), 'the settings after a reload')
    await waitForPrimary('#0a7f3f', 'after a reload')
    // Primary buttons paint with the theme variable, so the app itself now wears the brand colour.
    const save = page.getByRole('button', { name: 'Save changes' })
    await waitForBackground(save, 'rgb(10, 127, 63)', 'primary button')
  })

  await step('deleting needs the exact name, then leaves for onboarding', async () => {
    await page.getByLabel(`Type ${orgName} to confirm`).fill(orgName.toLowerCase())
    await page.getByRole('button', { name: 'Delete organization' }).click()
    await see(page.getByText('Type the name exactly as shown'), 'the confirmation error')
    await page.getByLabel(`Type ${orgName} to confirm`).fill(orgName)
    await page.getByRole('button', { name: 'Delete organization' }).click()
    await page.waitForURL('**/onboarding')
    await see(page.getByText(`${orgName} is being deleted`), 'the deletion toast')
    await page.goto(settingsPath)
    await see(page.getByText('Organization not found'), 'the deleted organization answering not found')
  })
})
