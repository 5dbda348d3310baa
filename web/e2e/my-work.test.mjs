// Browser test of the home page (issue 15, item 5): after choosing the organization the owner lands on My
// work, sees a task assigned to them that is past due under Overdue, a task due later under its own group,
// their running timer ticking and stops it, opens the overdue task from the list, reads the project's
// history as sentences (item 6), finds the project they visited under "Recently visited projects", and the
// page fits a 360 px phone.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/my-work.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, call, createOrganization, see, session, signUp, steps, useBrowser, ready } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

test('the owner lands on My work, sees an overdue task under Overdue and opens it', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const orgName = `Home Agency ${stamp}`
  let orgId
  let project
  let overdue

  await step('sign up, create an organization, a project and tasks assigned to me', async () => {
    await signUp(page, { name: 'Olga Owner', email: `home-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, orgName)
    const me = await call(page, 'GET', '/api/v1/me')
    project = await call(page, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Copy deck' })
    const tasks = `/api/v1/orgs/${orgId}/projects/${project.id}/tasks`
    overdue = await call(page, 'POST', tasks, { title: 'Send the first draft', due_date: '2020-01-15', assignee_ids: [me.user.id] })
    await call(page, 'POST', tasks, { title: 'Plan the launch', due_date: '2099-06-01', assignee_ids: [me.user.id] })
    await call(page, 'POST', tasks, { title: 'Someone else’s job' })
    await call(page, 'POST', `/api/v1/orgs/${orgId}/time/timer/start`, { project_id: project.id })
  })

  await step('choosing the organization opens My work', async () => {
    await page.getByRole('button', { name: `Organization: ${orgName}. Switch organization` }).click()
    await page.getByRole('menuitemcheckbox', { name: new RegExp(orgName) }).click()
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/my-work`)
    await see(page.getByRole('heading', { name: 'My work', exact: true }), 'the My work heading')
    const nav = page.getByRole('navigation', { name: 'Main' })
    await see(nav.getByRole('link', { name: 'My work' }), 'the My work nav entry')
    assert.equal(await nav.getByRole('link').first().textContent(), 'My work', 'My work comes first in the navigation')
    await see(page.getByRole('link', { name: 'Organization dashboard' }), 'the dashboard shortcut for the owner')
  })

  await step('the overdue task is under Overdue, the later one under Later, the unassigned one nowhere', async () => {
    const overdueGroup = page.getByRole('region', { name: /Overdue/ })
    await see(overdueGroup.getByRole('link', { name: /Send the first draft/ }), 'the overdue task under Overdue')
    await see(overdueGroup.getByText(/Copy deck · To do/), 'its project and status')
    const laterGroup = page.getByRole('region', { name: /Later or no date/ })
    await see(laterGroup.getByRole('link', { name: /Plan the launch/ }), 'the later task under Later')
    assert.equal(await overdueGroup.getByText('Plan the launch').count(), 0, 'the later task is not overdue')
    assert.equal(await page.getByText('Someone else’s job').count(), 0, 'a task assigned to nobody is not mine')
  })

  await step('the running timer ticks and stops from the home page', async () => {
    const timer = page.getByRole('region', { name: 'Time today' })
    const elapsed = timer.getByRole('timer', { name: 'Running timer elapsed time' })
    await see(elapsed, 'the running timer')
    const first = await elapsed.textContent()
    await page.waitForTimeout(1_500)
    assert.notEqual(await elapsed.textContent(), first, 'the elapsed time moves')
    await timer.getByRole('button', { name: 'Stop timer' }).click()
    await see(timer.getByText('No timer is running.'), 'the stopped timer')
    await see(timer.getByText(/Logged today: 1m/), 'today’s time counts the stopped minute')
  })

  await step('clicking the overdue task opens it', async () => {
    await page.getByRole('link', { name: /Send the first draft/ }).click()
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/projects/${project.id}/board` && url.searchParams.get('task') === overdue.id)
    const title = page.getByRole('dialog').getByLabel('Title')
    await see(title, 'the task drawer')
    assert.equal(await title.inputValue(), 'Send the first draft', 'the drawer shows the task clicked')
  })

  await step('the project’s history says who did what to which named thing, by day', async () => {
    await page.goto(`/orgs/${orgId}/projects/${project.id}`)
    const feed = page.getByRole('list', { name: 'Activity' })
    await see(feed.getByRole('heading', { name: 'Today' }), 'the Today group')
    const item = (text) => feed.getByRole('listitem').filter({ hasText: text })
    await see(item('Olga Owner logged 1 m on ‘Copy deck’'), 'the stopped timer as logged time')
    await see(item('Olga Owner started a timer on ‘Copy deck’'), 'the started timer')
    const created = item('Olga Owner created task ‘Send the first draft’')
    await see(created, 'the created task, named')
    assert.equal(
      await created.getByRole('link', { name: '‘Send the first draft’' }).getAttribute('href'),
      `/orgs/${orgId}/projects/${project.id}/board?task=${overdue.id}`,
      'the task is linked',
    )
    const text = await feed.textContent()
    assert.doesNotMatch(text, /time_entry|time entry|task\.created/, 'no raw type names')
  })

  await step('the visited project is listed under Recently visited projects', async () => {
    await page.goto(`/orgs/${orgId}`)
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/my-work`)
    const recent = page.getByRole('region', { name: 'Recently visited projects' })
    await see(recent.getByRole('link', { name: 'Copy deck' }), 'the project just visited')
  })

  await step('My work fits a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 780 })
    await page.reload()
    await see(page.getByRole('link', { name: /Send the first draft/ }), 'the overdue task on a phone')
    await assertFitsWidth(page, 'My work')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
