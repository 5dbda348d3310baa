// Browser test of API keys (issue 12): an owner creates a key on the API keys page, reads it once from the
// dialog, and a script (fetch from this test, no cookie) calls the API with it; after the owner revokes the
// key in the UI, the next call answers 401 api_key_revoked. The page also fits a 360 px phone.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/api-keys.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, baseURL, createOrganization, gone, see, session, signUp, steps, useBrowser, ready } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** Calls the API as a script would: a bearer key, no cookie, from another origin. */
async function withKey(key, method, path, body) {
  const response = await fetch(new URL(path, baseURL), {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Origin: 'https://script.example' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

test('an owner creates an API key, a script uses it, and revoking it stops the script', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  let orgId
  let key

  await step('sign up and create an organization (trial: Professional, which has API access)', async () => {
    await signUp(page, { name: 'Kim Keys', email: `keys-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Keys Agency ${stamp}`)
  })

  await step('the empty page explains keys and links to the API reference', async () => {
    await page.goto(`/orgs/${orgId}/api-keys`)
    await see(page.getByRole('heading', { name: 'No API keys yet' }), 'the empty state')
    await see(page.getByRole('link', { name: 'API reference', exact: true }), 'the link to /developer')
  })

  await step('create a key with the keyboard-reachable dialog and read it once', async () => {
    await page.getByRole('button', { name: 'Create your first key' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create API key' })
    await see(dialog, 'the create dialog')
    await dialog.getByLabel('Name').fill('Nightly export')
    await dialog.getByLabel('Expires').selectOption('30d')
    await dialog.getByRole('button', { name: 'Create key' }).click()
    const shown = page.getByTestId('new-api-key')
    await see(shown, 'the new key')
    await see(page.getByText('you will not see it again'), 'the shown-once warning')
    key = await shown.inputValue()
    assert.match(key, /^cf_(test|live)_[0-9A-Za-z]{43}$/)
    await page.getByRole('button', { name: 'Done' }).click()
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Nightly export' })
    await see(row, 'the key in the list')
    await see(row.getByText(`${key.slice(0, 12)}…${key.slice(-4)}`), 'the prefix and last four')
    assert.equal(await page.getByText(key).count(), 0, 'the list never shows the whole key')
  })

  await step('a script calls the API with the key', async () => {
    const created = await withKey(key, 'POST', `/api/v1/orgs/${orgId}/clients`, { name: `Created by script ${stamp}` })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const list = await withKey(key, 'GET', `/api/v1/orgs/${orgId}/clients`)
    assert.equal(list.status, 200)
    assert.ok(list.body.data.some((c) => c.name === `Created by script ${stamp}`))
    const me = await withKey(key, 'GET', '/api/v1/me')
    assert.equal(me.status, 401, 'keys work on organization routes only')
  })

  await step('the page shows the last use, and fits a 360 px screen', async () => {
    await page.reload()
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Nightly export' })
    await see(row.getByText(/from /), 'the last use with its IP')
    await page.setViewportSize({ width: 360, height: 740 })
    await assertFitsWidth(page, 'the API keys page')
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  await step('revoke the key in the UI: the next call answers 401 api_key_revoked', async () => {
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Nightly export' })
    await row.getByRole('button', { name: 'Revoke Nightly export' }).click()
    const confirm = page.getByRole('alertdialog')
    await confirm.getByRole('button', { name: 'Revoke key' }).click()
    await gone(confirm, 'the confirmation')
    await see(row.getByText('Revoked', { exact: true }), 'the revoked badge')
    const refused = await withKey(key, 'GET', `/api/v1/orgs/${orgId}/clients`)
    assert.equal(refused.status, 401)
    assert.equal(refused.body.code, 'api_key_revoked')
  })

  await step('delete the revoked key', async () => {
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Nightly export' })
    await row.getByRole('button', { name: 'Delete Nightly export' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete key' }).click()
    await see(page.getByRole('heading', { name: 'No API keys yet' }), 'the empty state again')
    const unknown = await withKey(key, 'GET', `/api/v1/orgs/${orgId}/clients`)
    assert.equal(unknown.body.code, 'api_key_invalid')
  })
})
