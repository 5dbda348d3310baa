// Browser test of CSV exports and activity filters (issue 13): the activity page keeps its filters in the
// URL; "Export CSV" on the clients list starts an export whose progress bar reaches done, the "export ready"
// email arrives in the dev mailbox, and its link downloads the CSV (with BOM, and a formula neutralised) only
// when signed in. The pages fit a 360 px phone.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/exports.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { before, test } from 'node:test'
import { assertFitsWidth, call, createOrganization, gone, newPage, ready, see, session, signUp, steps, useBrowser, waitForMail } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

test('an export shows progress, is emailed, and its link downloads the CSV once signed in', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const email = `export-${stamp}@example.com`
  let orgId

  await step('sign up, create an organization with a client whose name is a formula', async () => {
    await signUp(page, { name: 'Erin Export', email, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Export Agency ${stamp}`)
    await call(page, 'POST', `/api/v1/orgs/${orgId}/clients`, { name: '=HYPERLINK("http://x")' })
    await call(page, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Website' })
  })

  await step('the activity page filters by entity type, kept in the URL', async () => {
    await page.goto(`/orgs/${orgId}/activity`)
    await see(page.getByRole('heading', { name: 'Activity', exact: true }), 'the Activity heading')
    await page.getByLabel('About').selectOption('client')
    await page.waitForURL((url) => url.searchParams.get('entity_type') === 'client')
    const feed = page.getByRole('list', { name: 'Activity' })
    // The unfiltered feed stays on screen until the filtered one arrives: wait for the project event to leave.
    await gone(feed.getByText(/created project/).first(), 'the project event, filtered out')
    await see(feed.getByText(/created client ‘=HYPERLINK/), 'the client event, naming the client')
    await page.reload()
    assert.equal(await page.getByLabel('About').inputValue(), 'client')
    await page.getByLabel('From').fill('2100-01-01')
    await see(page.getByText('Nothing matches these filters.'), 'the empty state of a filter that matches nothing')
  })

  await step('Export CSV on the clients list: the progress bar reaches done and a download link appears', async () => {
    await page.goto(`/orgs/${orgId}/clients`)
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const done = page.getByRole('link', { name: /Download CSV \(1 rows\)/ })
    const bar = page.getByRole('progressbar')
    // The bar shows while the export runs (it may finish before the first poll on a small list).
    await Promise.race([bar.waitFor({ timeout: 30_000 }), done.waitFor({ timeout: 30_000 })])
    if (await bar.count()) assert.match((await bar.getAttribute('aria-valuenow')) ?? '', /^\d+$/)
    await see(done, 'the download link of the finished export')
  })

  let link
  await step('the "export ready" email arrives with a signed link to the export’s page', async () => {
    const mail = await waitForMail(page, `export email to ${email}`, (m) => m.to === email && /\/exports\/[0-9a-f-]{36}\?exp=/.test(m.text))
    assert.match(mail.subject, /clients export is ready/)
    link = mail.text.match(/https?:\/\/\S+\/exports\/[0-9a-f-]{36}\?\S+/)[0]
  })

  let download
  await step('signed in, the link starts the download and shows it on the page', async () => {
    const started = page.waitForEvent('download')
    await page.goto(link)
    const file = await started
    assert.equal(file.suggestedFilename().endsWith('.csv'), true, `a CSV file: ${file.suggestedFilename()}`)
    const body = readFileSync(await file.path(), 'utf8')
    assert.ok(body.startsWith('\uFEFF'), 'UTF-8 BOM')
    download = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href')
    assert.match(download, /\/api\/v1\/orgs\/[^/]+\/exports\/[^/]+\/download\?/)
  })

  await step('signed out, the link leads to sign-in, and the API download alone answers 401', async () => {
    const stranger = await newPage()
    await stranger.goto(link)
    await stranger.waitForURL((url) => url.pathname === '/sign-in' && (url.searchParams.get('next') ?? '').includes('/exports/'))
    const res = await stranger.request.get(download)
    assert.equal(res.status(), 401)
    await stranger.context().close()
  })

  await step('signed in, the download link serves the CSV with a BOM and the formula neutralised', async () => {
    const res = await page.request.get(download)
    assert.equal(res.status(), 200)
    assert.equal(res.headers()['content-type'], 'text/csv; charset=utf-8')
    assert.match(res.headers()['content-disposition'], /^attachment/)
    const body = (await res.body()).toString('utf8')
    assert.ok(body.startsWith('\uFEFF'), 'UTF-8 BOM')
    assert.ok(body.includes(`"'=HYPERLINK(""http://x"")"`), `the formula is neutralised: ${body}`)
    assert.ok(body.split('\n')[0].includes('id,name,email'), 'a header row')
  })

  await step('Recent exports lists it, from the account menu; the pages fit a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 800 })
    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByRole('menuitem', { name: 'Recent exports' }).click()
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/exports`)
    await see(page.getByRole('list', { name: 'Exports' }).getByRole('link', { name: /Download CSV/ }), 'the export in the list')
    await assertFitsWidth(page, 'the exports page')
    await page.goto(`/orgs/${orgId}/activity?entity_type=client`)
    await see(page.getByRole('list', { name: 'Activity' }), 'the activity feed')
    await assertFitsWidth(page, 'the activity page with its filters')
  })
})
