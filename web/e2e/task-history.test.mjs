// Browser test of a task's history in the drawer: the latest changes come with the task, earlier ones
// load on demand.
import { before, test } from 'node:test'
import { call, ready, see, session, useBrowser, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

test('a long task history shows the latest changes and loads the earlier ones on demand', { timeout: 120_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  let taskPath

  await step('an owner has a task changed 30 times', async () => {
    await call(page, 'POST', '/api/v1/auth/sign-up', { name: 'Hana History', email: `e2e-history-${stamp}@example.com`, password: `correct horse ${stamp}` })
    const org = await call(page, 'POST', '/api/v1/orgs', { name: `History Agency ${stamp}` })
    const project = await call(page, 'POST', `/api/v1/orgs/${org.id}/projects`, { name: 'Website relaunch' })
    const base = `/api/v1/orgs/${org.id}/projects/${project.id}/tasks`
    const task = await call(page, 'POST', base, { title: 'Draft 0' })
    for (let i = 1; i <= 30; i++) await call(page, 'PATCH', `${base}/${task.id}`, { title: `Draft ${i}` })
    taskPath = `/orgs/${org.id}/projects/${project.id}/board?task=${task.id}`
  })

  await step('the drawer shows the latest changes, and earlier ones on request', async () => {
    await page.goto(taskPath)
    const activity = page.getByRole('region', { name: 'Activity' })
    await see(activity.getByRole('button', { name: 'Show earlier changes' }), 'the button for earlier changes')
    await see(activity.getByText(/changed the title/).first(), 'a recent change')
    const created = activity.getByText(/created this/)
    if ((await created.count()) !== 0) throw new Error('the creation is among the latest 20 of 31 changes')
    await activity.getByRole('button', { name: 'Show earlier changes' }).click()
    await see(created, 'the creation, the oldest change')
    await see(activity.getByRole('listitem').nth(30), 'all 31 changes')
  })
})
