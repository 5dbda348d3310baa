// Browser test of the clients journey against a running app (the Go API
// serving the SPA, or `vite preview`/`vite` proxying to it):
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
// Chromium comes from Debian (/usr/bin/chromium) or CHROMIUM_PATH; nothing is downloaded.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { gone, ready, see, session, useBrowser, createOrganization, signUp, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** The "Please verify your email address" banner. */
function verifyBanner() {
  return page.getByRole('status').filter({ hasText: 'Please verify your email address' })
}

test('a new agency signs up, manages a client, signs out and back in', { timeout: 180_000 }, async (t) => {
  // Each step builds on the one before: after a failure, skip the rest instead of piling up timeouts.
  const step = steps(t)

  const stamp = Date.now()
  const email = `e2e-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  const orgName = `E2E Agency ${stamp}`
  let clientsPath

  await step('sign up lands on onboarding', async () => {
    await signUp(page, { name: 'Erin Example', email, password })
    await see(page.getByRole('heading', { name: 'Welcome, Erin' }), 'the onboarding greeting')
    await see(verifyBanner(), 'the verify-your-email banner')
    await see(verifyBanner().getByText(email), 'the new address in the verify banner')
  })

  await step('onboarding creates the organization and opens its empty clients page', async () => {
    await createOrganization(page, orgName)
    clientsPath = new URL(page.url()).pathname
    await see(page.getByRole('heading', { name: 'Clients', exact: true }), 'the Clients heading')
    await see(page.getByText('No clients yet'), 'the empty state')
    await see(page.getByRole('button', { name: new RegExp(orgName) }), 'the organization in the switcher')
    await see(verifyBanner(), 'the verify banner in the workspace')
  })

  await step('the client form validates before sending', async () => {
    await page.getByRole('button', { name: 'New client' }).click()
    const dialog = page.getByRole('dialog', { name: 'New client' })
    await see(dialog, 'the New client dialog')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await see(dialog.getByText('Name is required', { exact: true }), 'the required-name message')
    await dialog.getByLabel('Name', { exact: true }).fill('Acme Corp')
    await dialog.getByLabel('Email', { exact: true }).fill('not-an-email')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await see(dialog.getByText('Enter a valid email address'), 'the invalid-email message')
    assert.equal(await dialog.getByText('Name is required', { exact: true }).count(), 0, 'the name message clears once a name is typed')
  })

  await step('creating a client shows it in the list', async () => {
    const dialog = page.getByRole('dialog', { name: 'New client' })
    await dialog.getByLabel('Email', { exact: true }).fill('hello@acme.com')
    await dialog.getByLabel('Company', { exact: true }).fill('Acme')
    const created = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/clients'))
    await dialog.getByRole('button', { name: 'Save' }).click()
    const request = await created
    assert.match(request.headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/, 'a create carries an Idempotency-Key')
    await gone(dialog, 'the New client dialog')
    await see(page.getByRole('row', { name: /Acme Corp/ }), 'the Acme Corp row')
    await see(page.getByRole('cell', { name: 'hello@acme.com' }), 'the client email')
  })

  await step('search finds the client, and explains when nothing matches', async () => {
    const search = page.getByLabel('Search clients')
    await search.fill('acme')
    await page.waitForURL(/[?&]q=acme/)
    await see(page.getByRole('row', { name: /Acme Corp/ }), 'Acme Corp in the search results')

    await search.fill('zzz')
    await page.waitForURL(/[?&]q=zzz/)
    await see(page.getByText('No matching clients'), 'the no-results state')
    await gone(page.getByRole('row', { name: /Acme Corp/ }), 'Acme Corp')

    await page.getByRole('button', { name: 'Clear filters' }).click()
    await see(page.getByRole('row', { name: /Acme Corp/ }), 'Acme Corp after clearing the search')
    assert.equal(await search.inputValue(), '', 'clearing filters empties the search box')
  })

  await step('editing the client saves the change', async () => {
    await page.getByRole('button', { name: 'Edit Acme Corp' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit client' })
    await see(dialog, 'the Edit client dialog')
    assert.equal(await dialog.getByLabel('Name', { exact: true }).inputValue(), 'Acme Corp', 'the form is prefilled')
    await dialog.getByLabel('Company', { exact: true }).fill('Acme Holdings')
    const patched = page.waitForRequest((r) => r.method() === 'PATCH')
    await dialog.getByRole('button', { name: 'Save' }).click()
    assert.deepEqual((await patched).postDataJSON(), { company: 'Acme Holdings' }, 'a PATCH sends only the changed field')
    await gone(dialog, 'the Edit client dialog')
    await see(page.getByRole('cell', { name: 'Acme Holdings' }), 'the new company')
  })

  await step('deleting the client asks first, then removes it', async () => {
    await page.getByRole('button', { name: 'Delete Acme Corp' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Delete Acme Corp?' })
    await see(confirm, 'the delete confirmation')
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await gone(confirm, 'the delete confirmation')
    await gone(page.getByRole('row', { name: /Acme Corp/ }), 'the Acme Corp row')
    await see(page.getByText('No clients yet'), 'the empty state after deleting')
  })

  await step('the link in the welcome email verifies the address', async () => {
    await verifyBanner().getByRole('link', { name: 'Open dev mailbox' }).click()
    await page.waitForURL('**/dev/mailbox')
    // The dev mailbox holds every user's mail: pick this user's welcome email.
    const welcome = page
      .getByRole('list', { name: 'Messages' })
      .getByRole('button')
      .filter({ hasText: 'Welcome to ClientFlow' })
      .filter({ hasText: email })
    await see(welcome, `the welcome email to ${email}`)
    await welcome.first().click()
    await see(page.getByRole('heading', { name: /^Welcome to ClientFlow/, level: 2 }), 'the open welcome email')
    await see(page.getByText(`To ${email}`).first(), 'the open email addressed to the new user')
    const verified = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/auth/verify-email'))
    await page.getByRole('link', { name: 'Open verify link' }).click()
    await page.waitForURL((url) => url.pathname === '/verify-email' && url.searchParams.has('token'))
    assert.equal((await verified).status(), 200, 'the verify request succeeds')
    await see(page.getByRole('heading', { name: 'Your email address is verified' }), 'the verified message')
    await page.getByRole('link', { name: 'Continue to ClientFlow' }).click()
    // The app lands on the organization's home: My work.
    await page.waitForURL((url) => url.pathname === clientsPath.replace(/clients$/, 'my-work'))
    await see(page.getByRole('heading', { name: 'My work', exact: true }), 'the My work heading after verifying')
    await gone(verifyBanner(), 'the verify banner')
    await page.reload()
    await see(page.getByRole('heading', { name: 'My work', exact: true }), 'the My work heading after reloading')
    assert.equal(await verifyBanner().count(), 0, 'the banner stays gone after a reload')
  })

  await step('signing out ends the session', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click()
    await see(page.getByRole('menu').getByText(email), 'the signed-in email in the user menu')
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL('**/sign-in')
    await page.goto(clientsPath)
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === clientsPath)
  })

  await step('signing in again returns to the organization', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill('wrong password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await see(page.getByText('Email or password is incorrect'), 'the wrong-password message')

    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.pathname === clientsPath.replace(/clients$/, 'my-work'))
    await see(page.getByRole('heading', { name: 'My work', exact: true }), 'the My work heading after signing in')
    await see(page.getByRole('button', { name: new RegExp(orgName) }), 'the organization in the switcher')
  })
})
