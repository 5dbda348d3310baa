// Browser test of the kanban board against a running app (the Go API serving the SPA):
// serving the SPA, or `vite preview`/`vite` proxying to it):
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
// Chromium comes from Debian (/usr/bin/chromium) or CHROMIUM_PATH; nothing is downloaded.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { baseURL, gone, ready, see, session, useBrowser, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** Calls the API as the signed-in page (same cookies), failing on any non-2xx answer. */
async function call(method, path, data) {
  const response = await page.request.fetch(path, { method, data, headers: { Origin: baseURL } })
  assert.ok(response.ok(), `${method} ${path} answered ${response.status()}: ${await response.text()}`)
  return response.status() === 204 ? undefined : response.json()
}

/** The board column section named `name`. */
function column(name) {
  return page.getByRole('region', { name: `Column ${name}` })
}

/** Drags `from` onto `to` with the mouse, in small steps as a person would. */
async function drag(from, to) {
  const a = await from.boundingBox()
  const b = await to.boundingBox()
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2, { steps: 5 })
  await page.mouse.move(b.x + b.width / 2, b.y + b.height - 20, { steps: 20 })
  await page.mouse.up()
}

test('a task is dragged to Done, survives a reload, and gets a ticked subtask', { timeout: 120_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  let boardPath

  await step('a signed-up owner opens the board of a new project', async () => {
    await call('POST', '/api/v1/auth/sign-up', { name: 'Dana Board', email: `e2e-board-${stamp}@example.com`, password: `correct horse ${stamp}` })
    const org = await call('POST', '/api/v1/orgs', { name: `Board Agency ${stamp}` })
    const project = await call('POST', `/api/v1/orgs/${org.id}/projects`, { name: 'Website relaunch' })
    await call('POST', `/api/v1/orgs/${org.id}/projects/${project.id}/tasks`, { title: 'Write the brief' })
    await call('POST', `/api/v1/orgs/${org.id}/projects/${project.id}/tasks`, { title: 'Design the homepage' })
    boardPath = `/orgs/${org.id}/projects/${project.id}/board`
    await page.goto(boardPath)
    await see(page.getByRole('heading', { name: 'Board' }), 'the board heading')
    await see(column('To do').getByRole('button', { name: /Design the homepage/ }), 'the task in To do')
  })

  await step('dragging the card to Done moves it there, and the order survives a reload', async () => {
    const moved = page.waitForResponse((r) => r.url().endsWith('/move') && r.request().method() === 'POST')
    await drag(column('To do').getByRole('button', { name: /Design the homepage/ }), column('Done'))
    assert.equal((await moved).status(), 200, 'the move is saved')
    await see(column('Done').getByRole('button', { name: /Design the homepage/ }), 'the task in Done')
    await page.reload()
    await see(column('Done').getByRole('button', { name: /Design the homepage/ }), 'the task still in Done after reload')
    assert.equal(await column('To do').getByRole('button', { name: /Design the homepage/ }).count(), 0, 'it left To do')
    await see(column('To do').getByRole('button', { name: /Write the brief/ }), 'the other task still in To do')
  })

  await step('the drawer adds a subtask and ticks it', async () => {
    await column('Done').getByRole('button', { name: /Design the homepage/ }).click()
    await page.waitForURL(/[?&]task=/)
    const drawer = page.getByRole('dialog')
    await see(drawer.getByLabel('Title'), 'the task drawer')
    assert.equal(await drawer.getByLabel('Title').inputValue(), 'Design the homepage')
    await see(drawer.getByText(/moved this from To do to Done/), 'the move in the activity log')
    await drawer.getByLabel('New subtask').fill('Pick the hero image')
    await drawer.getByRole('button', { name: 'Add', exact: true }).click()
    const tick = drawer.getByLabel('Done: Pick the hero image')
    await see(tick, 'the new subtask')
    await tick.click()
    await see(drawer.getByText(/ticked “Pick the hero image”/), 'the tick in the activity log')
    assert.ok(await tick.isChecked(), 'the subtask is ticked')
    await page.keyboard.press('Escape')
    await gone(drawer, 'the drawer')
    await see(column('Done').getByLabel('1 of 1 subtasks done'), 'the subtask count on the card')
  })
})

/** The list marker and indent the browser computed for `list` (a ul or ol locator). */
async function listStyle(list) {
  return list.evaluate((el) => {
    const style = getComputedStyle(el)
    return { marker: style.listStyleType, indent: parseFloat(style.paddingLeft) }
  })
}

/** Asserts that the first ul and ol inside `scope` show bullets and numbers, indented. */
async function assertListMarkers(scope, where) {
  const bullets = await listStyle(scope.locator('ul').first())
  const numbers = await listStyle(scope.locator('ol').first())
  assert.equal(bullets.marker, 'disc', `the bulleted list in ${where} shows bullets`)
  assert.equal(numbers.marker, 'decimal', `the numbered list in ${where} shows numbers`)
  assert.ok(bullets.indent > 0 && numbers.indent > 0, `the lists in ${where} are indented: ${JSON.stringify({ bullets, numbers })}`)
}

test('lists in a task description and a comment show their markers', { timeout: 60_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const html = '<ul><li><p>Logo</p></li><li><p>Colours</p></li></ul><ol><li><p>Draft</p></li><li><p>Review</p></li></ol>'
  const item = (text) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })
  const doc = {
    type: 'doc',
    content: [
      { type: 'bulletList', content: [item('Logo'), item('Colours')] },
      { type: 'orderedList', content: [item('Draft'), item('Review')] },
    ],
  }

  await step('a task with listed description and comment is opened in the drawer', async () => {
    await call('POST', '/api/v1/auth/sign-up', { name: 'Lee Lists', email: `e2e-lists-${stamp}@example.com`, password: `correct horse ${stamp}` })
    const org = await call('POST', '/api/v1/orgs', { name: `Lists Agency ${stamp}` })
    const project = await call('POST', `/api/v1/orgs/${org.id}/projects`, { name: 'Brand refresh' })
    const task = await call('POST', `/api/v1/orgs/${org.id}/projects/${project.id}/tasks`, { title: 'Plan the brand', description: { json: doc, html } })
    await call('POST', `/api/v1/orgs/${org.id}/projects/${project.id}/tasks/${task.id}/comments`, { body_json: doc, body_html: html })
    await page.goto(`/orgs/${org.id}/projects/${project.id}/board?task=${task.id}`)
    await see(page.getByRole('dialog').getByLabel('Title'), 'the task drawer')
  })

  await step('the description editor shows bullets and numbers', async () => {
    const description = page.getByRole('dialog').getByRole('textbox', { name: 'Description' })
    await see(description.getByText('Colours'), 'the description list')
    await assertListMarkers(description, 'the description')
  })

  await step('the comment shows bullets and numbers', async () => {
    const comment = page.getByRole('dialog').getByRole('list', { name: 'Comments' }).getByRole('listitem').first()
    await see(comment.getByText('Review'), 'the comment list')
    await assertListMarkers(comment, 'the comment')
  })
})
