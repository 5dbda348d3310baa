// Browser test of time tracking against a running app (the Go API serving
// the SPA, or `vite preview`/`vite` proxying to it):
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
// Chromium comes from Debian (/usr/bin/chromium) or CHROMIUM_PATH; nothing is downloaded.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, gone, ready, see, session, useBrowser, createOrganization, signUp, steps } from './support.mjs'

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

test('hours typed into the week grid are logged, changed and removed', { timeout: 120_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  let orgId
  // Today's column: the grid's weeks start on Monday (UTC).
  const today = (new Date().getUTCDay() + 6) % 7
  const cell = () => page.getByRole('textbox', { name: /^Website relaunch, / }).nth(today)
  const grid = () => page.getByRole('region', { name: 'Week grid' })
  const weekTotal = (text) => grid().locator('tfoot td').last().getByText(text, { exact: true })

  await step('sign up, create an organization with a project, open the week grid', async () => {
    await signUp(page, { name: 'Gita Grid', email: `e2e-grid-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Grid Agency ${stamp}`)
    await createProject(orgId, 'Website relaunch')
    await page.goto(`/orgs/${orgId}/time`)
    await page.getByRole('button', { name: 'Week grid' }).click()
    await page.waitForURL((url) => url.searchParams.get('view') === 'grid')
    await see(grid().getByText('No time logged this week.'), 'the empty grid')
  })

  await step('a row is added and an hour and a half typed into today', async () => {
    await page.getByLabel('Project of the new row').selectOption({ label: 'Website relaunch' })
    await page.getByRole('button', { name: 'Add row' }).click()
    await cell().fill('1:30')
    await cell().press('Enter')
    await see(weekTotal('1h 30m'), 'the week total')
    await page.reload()
    assert.equal(await cell().inputValue(), '1:30', 'the logged time after a reload')
  })

  await step('typing over a day changes the entry; nonsense is explained and not saved', async () => {
    await cell().fill('2')
    await cell().press('Tab')
    await see(weekTotal('2h 00m'), 'the new week total')
    await cell().fill('lots')
    await cell().press('Enter')
    await see(page.getByRole('alert').filter({ hasText: 'Type hours as 1:30, 1.5 or 1h 30m' }), 'the hint for what a cell takes')
    await cell().press('Escape')
    assert.equal(await cell().inputValue(), '2:00', 'Escape puts the saved time back')
  })

  await step('clearing the day removes the entry; the list view agrees', async () => {
    await cell().fill('')
    await cell().press('Enter')
    await see(weekTotal('0m'), 'the week total back at zero')
    await page.getByRole('button', { name: 'List' }).click()
    await see(page.getByText('No time logged this week.'), 'the empty list')
  })

  await step('the grid fits a 360 px phone, scrolling inside its own frame', async () => {
    await page.getByRole('button', { name: 'Week grid' }).click()
    await page.setViewportSize({ width: 360, height: 740 })
    await see(grid(), 'the grid on a phone')
    await assertFitsWidth(page, 'the week grid at 360 px')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
