// Browser test of time tracking against a running app (the Go API serving
// the SPA, or `vite preview`/`vite` proxying to it):
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

/** Creates a project through the API with the page's session (the SPA's projects screens are tested elsewhere). */
async function createProject(orgId, name) {
  const status = await page.evaluate(
    async ([orgId, name]) => {
      const res = await fetch(`/api/v1/orgs/${orgId}/projects`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      })
      return res.status
    },
    [orgId, name],
  )
  assert.equal(status, 201, `creating project ${name}`)
}

test('a timer started in the header ends up in the timesheet', { timeout: 120_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  let orgId

  await step('sign up and create an organization with a project', async () => {
    await signUp(page, { name: 'Tara Timer', email: `e2e-time-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Time Agency ${stamp}`)
    await createProject(orgId, 'Website relaunch')
  })

  await step('the timesheet starts empty', async () => {
    await page.goto(`/orgs/${orgId}/time`)
    await see(page.getByRole('heading', { name: 'Timesheet' }), 'the Timesheet heading')
    await see(page.getByText('No time logged this week.'), 'the empty week')
  })

  await step('the header timer asks for a project, then runs', async () => {
    await page.getByRole('button', { name: 'Start timer' }).click()
    const dialog = page.getByRole('dialog', { name: 'Start timer' })
    await see(dialog, 'the Start timer dialog')
    await dialog.getByRole('button', { name: 'Start', exact: true }).click()
    await see(dialog.getByText('Pick a project to track time on'), 'the missing-project message')
    await dialog.getByLabel('Project').selectOption({ label: 'Website relaunch' })
    await dialog.getByLabel('Note').fill('Homepage copy')
    await dialog.getByRole('button', { name: 'Start', exact: true }).click()
    await gone(dialog, 'the Start timer dialog')
    const elapsed = page.getByRole('timer', { name: 'Elapsed time' })
    await see(elapsed, 'the running timer')
    const first = await elapsed.textContent()
    await page.waitForFunction((before) => document.querySelector('[role=timer]')?.textContent !== before, first)
    await see(page.getByText('Running'), 'the running entry in the timesheet')
  })

  await step('stopping the timer logs the entry in the timesheet', async () => {
    await page.getByRole('button', { name: 'Stop timer' }).click()
    await see(page.getByRole('button', { name: 'Start timer' }), 'the timer ready to start again')
    const entry = page.getByRole('listitem').filter({ hasText: 'Website relaunch' }).filter({ hasText: 'Homepage copy' })
    await see(entry, 'the stopped entry')
    await see(entry.getByText('1m', { exact: true }), 'one minute logged')
    await see(page.getByText('Week total: 1m'), 'the week total')
    await gone(page.getByText('Running'), 'the running badge')
  })
})
