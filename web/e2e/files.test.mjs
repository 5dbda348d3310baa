// Browser test of files and comments: upload on the project Files page and in a task's drawer, download
// through the signed, expiring URL, and comment on the task.
// Run like clients.test.mjs: BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { baseURL, ready, session, useBrowser } from './support.mjs'

useBrowser({ acceptDownloads: true })

let page
before(async () => {
  await ready()
  page = session.page
})

/** Calls the API with the page's session cookie, as the SPA would (same Origin). */
async function call(method, path, data) {
  const res = await page.request.fetch(path, { method, data, headers: { Origin: new URL(baseURL).origin } })
  assert.ok(res.ok(), `${method} ${path} answered ${res.status()}: ${await res.text()}`)
  return res.json()
}

/** Downloads through the button named `label` and returns the download after checking its content. */
async function downloadAndCheck(label, name, content) {
  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: label }).click()
  const download = await downloading
  assert.equal(download.suggestedFilename(), name)
  assert.match(download.url(), /\/api\/v1\/files\/[0-9a-f-]{36}\?.*sig=/, 'the download goes through a signed URL')
  const saved = join(mkdtempSync(join(tmpdir(), 'clientflow-e2e-files-')), name)
  await download.saveAs(saved)
  assert.equal(readFileSync(saved, 'utf8'), content)
  return download
}

let org
let project

test('a file uploaded on the project Files page downloads through its signed link', { timeout: 120_000 }, async () => {
  const stamp = Date.now()
  await call('POST', '/api/v1/auth/sign-up', { name: 'Fay Files', email: `e2e-files-${stamp}@example.com`, password: `correct horse ${stamp}` })
  org = await call('POST', '/api/v1/orgs', { name: `Files Agency ${stamp}` })
  project = await call('POST', `/api/v1/orgs/${org.id}/projects`, { name: 'Brand refresh' })

  await page.goto(`/orgs/${org.id}/projects/${project.id}/files`)
  await page.getByRole('heading', { name: 'Files', exact: true }).waitFor()
  await page.getByText('No files yet.').waitFor()

  const content = `name,budget\nBrand refresh,${stamp}\n`
  await page.getByLabel('Choose a file to upload').setInputFiles({ name: 'budget.csv', mimeType: 'text/csv', buffer: Buffer.from(content) })
  await page.getByRole('list', { name: 'Files' }).getByText('budget.csv').waitFor()

  const download = await downloadAndCheck('Download budget.csv', 'budget.csv', content)

  const signed = await page.request.get(download.url())
  assert.equal(signed.headers()['x-content-type-options'], 'nosniff')
  const tampered = await page.request.get(download.url().replace(/sig=[^&]+/, 'sig=forged'))
  assert.equal(tampered.status(), 403, 'a tampered link is refused')
})

test('in the task drawer a file is attached and downloaded, and a comment is posted', { timeout: 120_000 }, async () => {
  assert.ok(project, 'the previous test created the project')
  const task = await call('POST', `/api/v1/orgs/${org.id}/projects/${project.id}/tasks`, { title: 'Pick the logo' })
  await page.goto(`/orgs/${org.id}/projects/${project.id}/board?task=${task.id}`)
  const attachments = page.getByRole('region', { name: 'Attachments' })
  await attachments.getByText('No files yet.').waitFor()
  await attachments.getByLabel('Choose a file to upload').setInputFiles({ name: 'logo-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('blue, not green') })
  await attachments.getByText('logo-notes.txt').waitFor()
  await downloadAndCheck('Download logo-notes.txt', 'logo-notes.txt', 'blue, not green')

  const comments = page.getByRole('region', { name: 'Comments' })
  await comments.getByText('No comments yet.').waitFor()
  await comments.getByLabel('Comment', { exact: true }).click()
  await page.keyboard.type('Ship the <script>blue</script> one')
  await comments.getByRole('button', { name: 'Comment', exact: true }).click()
  await comments.getByRole('list', { name: 'Comments' }).getByText('Ship the <script>blue</script> one').waitFor()
  assert.equal(await page.locator('script', { hasText: 'blue' }).count(), 0, 'typed markup stays text')
})
