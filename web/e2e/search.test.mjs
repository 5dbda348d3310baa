// Browser test of unified search and the command palette (issue 13): Ctrl-K opens the palette anywhere in
// the organization, typing part of a task title finds it (also misspelt), Enter opens the task in its board's
// drawer, the task is then a recent item, "Go to billing" navigates, and on a 360 px phone the header's
// search button opens a palette that fits. (No e2e test here runs axe; the palette's roles are asserted
// directly: a labelled dialog, a combobox controlling a listbox of options, the selected option marked.)
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/search.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, call, createOrganization, gone, see, session, signUp, steps, useBrowser, ready } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** The palette dialog, by its accessible name. */
const palette = () => page.getByRole('dialog', { name: 'Search and commands' })

/** Moves the palette's selection to the option matching name, from the keyboard. */
async function selectOption(name) {
  const option = palette().getByRole('option', { name })
  await see(option, `the option ${name}`)
  for (let i = 0; i < 20 && (await option.getAttribute('aria-selected')) !== 'true'; i++) {
    await page.keyboard.press('ArrowDown')
  }
  assert.equal(await option.getAttribute('aria-selected'), 'true', `${name} is selected`)
}

test('Ctrl-K, part of a task title, Enter: the task opens', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  let orgId
  let projectId
  let taskId

  await step('sign up, create an organization with a project and tasks', async () => {
    await signUp(page, { name: 'Sol Search', email: `search-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Search Agency ${stamp}`)
    projectId = (await call(page, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Website relaunch' })).id
    taskId = (await call(page, 'POST', `/api/v1/orgs/${orgId}/projects/${projectId}/tasks`, { title: 'Redesign the pricing page' })).id
    await call(page, 'POST', `/api/v1/orgs/${orgId}/projects/${projectId}/tasks`, { title: 'Write the launch newsletter' })
    await page.goto(`/orgs/${orgId}/dashboard`)
    await see(page.getByRole('heading', { name: 'Dashboard', exact: true }), 'the dashboard')
  })

  await step('Ctrl-K opens a labelled palette with the focus in its search box', async () => {
    await page.keyboard.press('Control+k')
    await see(palette(), 'the command palette')
    const input = palette().getByRole('combobox')
    assert.ok(await input.evaluate((el) => el === document.activeElement), 'the search box has the focus')
    await see(palette().getByRole('listbox'), 'the listbox of commands')
    await see(palette().getByRole('option', { name: 'Go to billing' }), 'a navigation command')
  })

  await step('typing part of a task title (misspelt too) finds it, highlighted', async () => {
    await page.keyboard.type('pricng')
    await see(palette().getByRole('option', { name: /Redesign the pricing page/ }), 'the task found despite the typo')
    await palette().getByRole('combobox').fill('')
    await page.keyboard.type('prici')
    const option = palette().getByRole('option', { name: /Redesign the pricing page/ })
    await see(option, 'the task found by a prefix')
    await see(option.locator('mark', { hasText: 'prici' }), 'the matched part marked')
    await see(palette().getByText(/Tasks \(1\)/), 'the group heading with its count')
  })

  await step('Enter opens the task in its board drawer', async () => {
    await selectOption(/Redesign the pricing page/)
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/projects/${projectId}/board` && url.searchParams.get('task') === taskId)
    await gone(palette(), 'the palette')
    const title = page.getByRole('dialog').getByLabel('Title')
    await see(title, 'the task drawer')
    assert.equal(await title.inputValue(), 'Redesign the pricing page')
  })

  await step('the task is a recent item, and "Go to billing" navigates', async () => {
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+k')
    await see(palette().getByRole('group', { name: 'Recent' }).getByRole('option', { name: /Redesign the pricing page/ }), 'the recent task')
    await page.keyboard.type('billing')
    await selectOption('Go to billing')
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/billing`)
  })

  await step('on a 360 px phone the header button opens a palette that fits', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.goto(`/orgs/${orgId}/dashboard`)
    await page.getByRole('banner').getByRole('button', { name: 'Search', exact: true }).click()
    await see(palette(), 'the palette on a phone')
    await page.keyboard.type('launch news')
    await see(palette().getByRole('option', { name: /Write the launch newsletter/ }), 'the task on a phone')
    await assertFitsWidth(page, 'the command palette')
    const box = await palette().boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the palette is within the screen: ${JSON.stringify(box)}`)
    await page.keyboard.press('Escape')
    await gone(palette(), 'the palette')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
