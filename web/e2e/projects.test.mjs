// Browser test of the projects journey: a project created from a template gets the template's board, and
// archiving moves it to the archived list. Runs like clients.test.mjs: BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { baseURL, ready, see, session, useBrowser, createOrganization, signUp, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

test('a project created from a template shows its board and can be archived', { timeout: 180_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  let orgPath
  let projectPath

  await step('sign up and create an organization', async () => {
    await signUp(page, { name: 'Pat Planner', email: `e2e-projects-${stamp}@example.com`, password: `correct horse ${stamp}` })
    await createOrganization(page, `Projects Agency ${stamp}`)
    orgPath = new URL(page.url()).pathname.replace(/\/clients$/, '')
  })

  await step('a template exists (made through the API, as an integration would)', async () => {
    const res = await page.request.post(`${orgPath.replace('/orgs', '/api/v1/orgs')}/templates`, {
      headers: { Origin: new URL(baseURL).origin },
      data: {
        name: 'Website launch',
        body: {
          columns: [{ name: 'Backlog' }, { name: 'Building' }, { name: 'Live', is_done: true }],
          tasks: [{ title: 'Collect content', column: 0, due_offset_days: 3 }],
        },
      },
    })
    assert.equal(res.status(), 201, await res.text())
    await page.goto(`${orgPath}/templates`)
    await see(page.getByText('Website launch'), 'the template in the list')
  })

  await step('the projects page creates a project from the template', async () => {
    await page.getByRole('link', { name: 'Projects' }).click()
    await see(page.getByRole('heading', { name: 'Projects', exact: true }), 'the Projects heading')
    await see(page.getByText('No projects yet.'), 'the empty state')
    await page.getByRole('button', { name: 'New project' }).click()
    const dialog = page.getByRole('dialog', { name: 'New project' })
    await dialog.getByLabel('Name', { exact: true }).fill('Relaunch')
    await dialog.getByLabel('Start date').fill('2026-05-04')
    await dialog.getByLabel('Due date').fill('2026-05-01')
    await dialog.getByLabel('Template').selectOption({ label: 'Website launch' })
    await dialog.getByRole('button', { name: 'Save' }).click()
    await see(dialog.getByText('The due date must not be before the start date'), 'the date order error')
    await dialog.getByLabel('Due date').fill('2026-06-30')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/)
    projectPath = new URL(page.url()).pathname
    await see(page.getByRole('heading', { name: 'Relaunch' }), 'the project header')
  })

  await step("the board shows the template's columns", async () => {
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Board' }).click()
    await page.waitForURL(`**${projectPath}/board`)
    for (const column of ['Backlog', 'Building', 'Live']) await see(page.getByRole('region', { name: `Column ${column}` }), `the ${column} column`)
    await see(page.getByText('Collect content'), "the template's task")
  })

  await step('archiving moves the project to the archived list', async () => {
    await page.getByRole('button', { name: 'Archive' }).click()
    await see(page.getByRole('button', { name: 'Unarchive' }), 'the Unarchive button')
    await page.goto(`${orgPath}/projects`)
    await see(page.getByText('No projects yet.'), 'an empty active list')
    await page.getByLabel('Active or archived').selectOption('true')
    await see(page.getByRole('link', { name: 'Relaunch' }), 'the project among the archived')
  })
})
