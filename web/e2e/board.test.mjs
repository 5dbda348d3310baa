// Browser test of the kanban board at scale and from the keyboard, against a running app:
//   BASE_URL=http://127.0.0.1:8080 npm run e2e -- e2e/board.test.mjs
// A project of 500 tasks: the board fits the window and each column scrolls on its own; a card is moved with
// the keyboard and opened with Enter, and focus comes back to it; the filters narrow the board through the URL;
// at 360 px one column shows at a time; the skip link is the first Tab stop.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, call, gone, newPage, ready, see, session, steps, useBrowser } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

const taskCount = 500

/** The board column section named `name`. */
const column = (name) => page.getByRole('region', { name: `Column ${name}` })

/** The data-task-id of the focused element, if it is a card. */
const focusedTask = () => page.evaluate(() => document.activeElement?.getAttribute('data-task-id') ?? null)

/**
 * Creates `count` tasks in `columnIds` (round robin) with varied priorities and due dates, and returns what
 * it created, each with the index of its column among the distinct `columnIds`. The API allows
 * 120 requests a minute per session, so the work is spread over five more sessions of the same person, each
 * posting its share one after another.
 */
async function createTasks(credentials, orgId, projectId, columnIds, count) {
  const priorities = ['low', 'medium', 'high', 'urgent']
  const columnIndexes = [...new Set(columnIds)]
  const specs = Array.from({ length: count }, (_, i) => ({
    title: `Task ${String(i + 1).padStart(3, '0')} of the relaunch`,
    column_id: columnIds[i % columnIds.length],
    priority: priorities[i % priorities.length],
  }))
  const sessions = 5
  const pages = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const p = await newPage()
      await call(p, 'POST', '/api/v1/auth/sign-in', credentials)
      return p
    }),
  )
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  await Promise.all(
    pages.map(async (p, s) => {
      for (let i = s; i < count; i += sessions) {
        await call(p, 'POST', `/api/v1/orgs/${orgId}/projects/${projectId}/tasks`, { ...specs[i], ...(i % 3 === 0 ? { due_date: day((i % 9) - 4) } : {}) })
      }
      await p.context().close()
    }),
  )
  return specs.map((spec) => ({ ...spec, column: columnIndexes.indexOf(spec.column_id) }))
}

test('a 500-card board scrolls per column, moves and opens cards from the keyboard, and fits a phone', { timeout: 240_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const credentials = { email: `e2e-big-board-${stamp}@example.com`, password: `correct horse ${stamp}` }
  let boardPath
  let columns
  let movedId
  let specs

  await step(`an owner's project has ${taskCount} tasks`, async () => {
    await call(page, 'POST', '/api/v1/auth/sign-up', { name: 'Kai Keyboard', ...credentials })
    const org = await call(page, 'POST', '/api/v1/orgs', { name: `Big Board Agency ${stamp}` })
    const project = await call(page, 'POST', `/api/v1/orgs/${org.id}/projects`, { name: 'Relaunch' })
    columns = (await call(page, 'GET', `/api/v1/orgs/${org.id}/projects/${project.id}/board`)).columns
    assert.ok(columns.length >= 3, `a new project has its default columns: ${columns.map((c) => c.name)}`)
    // Most cards in the first column (a long one to scroll), a few in the second, none in the others.
    const first = columns[0].id
    const second = columns[1].id
    const started = Date.now()
    specs = await createTasks(credentials, org.id, project.id, [first, first, first, first, second], taskCount)
    t.diagnostic(`created ${taskCount} tasks in ${Date.now() - started} ms`)
    boardPath = `/orgs/${org.id}/projects/${project.id}/board`
  })

  await step('the board shows every column with its count and the first cards of each', async () => {
    const started = Date.now()
    await page.goto(boardPath)
    await see(column(columns[0].name).getByRole('button', { name: /Task 001 of the relaunch/ }), 'the first card')
    await see(column(columns[0].name).getByLabel(`${taskCount * 0.8} tasks`, { exact: true }), `the count of ${columns[0].name}`)
    await see(column(columns[1].name).getByLabel(`${taskCount * 0.2} tasks`, { exact: true }), `the count of ${columns[1].name}`)
    // A long column renders its first 50 cards; the rest come as it scrolls.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-card"]').length === 100)
    // From the board's response to the cards on the page: the render itself.
    const render = await page.evaluate(() => {
      const response = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/board'))
      return response ? Math.round(performance.now() - response.responseEnd) : -1
    })
    t.diagnostic(`board of ${taskCount} cards: on screen ${Date.now() - started} ms after navigation, ${render} ms after its data arrived`)
  })

  await step('the page fits the window; the long column scrolls on its own under its header and loads more', async () => {
    const layout = await page.evaluate(() => {
      const main = document.getElementById('main')
      const scroller = document.querySelector('[data-testid="board-scroller"]')
      const list = document.querySelector('[data-testid="column-cards"]')
      return {
        viewport: innerHeight,
        document: document.documentElement.scrollHeight,
        main: [main.scrollHeight, main.clientHeight],
        scrollerBottom: Math.round(scroller.getBoundingClientRect().bottom),
        list: [list.scrollHeight, list.clientHeight],
      }
    })
    assert.ok(layout.document <= layout.viewport, `the document stays within the window: ${JSON.stringify(layout)}`)
    assert.ok(layout.main[0] <= layout.main[1] + 1, `the page itself does not scroll: ${JSON.stringify(layout)}`)
    assert.equal(layout.scrollerBottom, layout.viewport, 'the row of columns (and its sideways scrollbar) reaches the foot of the window')
    assert.ok(layout.list[0] > layout.list[1] * 3, `the long column scrolls inside itself: ${JSON.stringify(layout)}`)

    const todo = column(columns[0].name)
    const header = todo.getByRole('heading', { name: columns[0].name })
    const before = await header.boundingBox()
    const list = todo.getByTestId('column-cards')
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await page.waitForFunction(() => document.querySelector('[data-testid="column-cards"]').querySelectorAll('[data-testid="task-card"]').length >= 100)
    assert.ok(await list.evaluate((el) => el.scrollTop > 0), 'the column scrolled')
    assert.deepEqual(await header.boundingBox(), before, 'the column header stays put while its cards scroll')
    assert.equal(await page.evaluate(() => document.getElementById('main').scrollTop), 0, 'the page did not scroll')
    // The button at the foot (what a keyboard reaches after the last card) shows the next ones too.
    await todo.getByRole('button', { name: /^Show \d+ more tasks in / }).focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelector('[data-testid="column-cards"]').querySelectorAll('[data-testid="task-card"]').length >= 150)
    await list.evaluate((el) => el.scrollTo(0, 0))
  })

  await step('a card picked up with Space moves to the next column with the arrow keys and keeps focus', async () => {
    const card = column(columns[0].name).getByRole('button', { name: /Task 001 of the relaunch/ })
    movedId = await card.getAttribute('data-task-id')
    await card.focus()
    await page.keyboard.press('Space')
    // Announced as picked up, then at once as over its own place.
    await see(page.getByText(new RegExp(`Picked up task Task 001|Task 001 of the relaunch in ${columns[0].name} is over`)), 'the pick-up announcement')
    // The sensor starts listening for the arrow keys a moment after the pick-up: until the move is announced,
    // an early key press is tried again.
    const over = page.getByText(new RegExp(`Task 001 of the relaunch in ${columns[0].name} is over .* ${columns[1].name}`))
    for (let i = 0; i < 5 && !(await over.count()); i++) {
      await page.keyboard.press('ArrowRight')
      await over.waitFor({ timeout: 1000 }).catch(() => {})
    }
    await see(over, `the card over ${columns[1].name}`)
    const moved = page.waitForResponse((r) => r.url().endsWith(`/tasks/${movedId}/move`) && r.request().method() === 'POST')
    await page.keyboard.press('Space')
    assert.equal((await moved).status(), 200, 'the move is saved')
    await see(column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ }), `the card in ${columns[1].name}`)
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-task-id') === id, movedId)
    assert.equal(await page.getByRole('dialog').count(), 0, 'Space picked the card up instead of opening it')

    await page.reload()
    await see(column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ }), `the card still in ${columns[1].name} after reload`)
    assert.equal(await column(columns[0].name).getByRole('button', { name: /Task 001 of the relaunch/ }).count(), 0, `it left ${columns[0].name}`)
  })

  await step('Enter opens the task; Escape closes it and focus is back on its card', async () => {
    const card = column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ })
    await card.focus()
    await page.keyboard.press('Enter')
    const drawer = page.getByRole('dialog')
    await see(drawer.getByLabel('Title'), 'the task drawer')
    assert.equal(await drawer.getByLabel('Title').inputValue(), 'Task 001 of the relaunch')
    assert.match(page.url(), new RegExp(`[?&]task=${movedId}`))
    await page.keyboard.press('Escape')
    await gone(drawer, 'the drawer')
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-task-id') === id, movedId, { timeout: 3000 }).catch(() => {})
    assert.equal(await focusedTask(), movedId, 'focus returned to the card')
  })

  await step('M picks a card up too, and Escape puts it back', async () => {
    const card = column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ })
    await card.focus()
    await page.keyboard.press('m')
    await see(page.getByText(new RegExp(`Picked up task Task 001|Task 001 of the relaunch in ${columns[1].name} is over`)), 'the pick-up announcement')
    await page.keyboard.press('Escape')
    await see(page.getByText(/Moving task Task 001 of the relaunch .* was cancelled/), 'the cancel announcement')
    await see(column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ }), `the card still in ${columns[1].name}`)
  })

  await step('? shows the keyboard shortcuts, but not while typing', async () => {
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    const search = page.getByRole('searchbox', { name: 'Search' })
    await search.fill('')
    await search.press('?')
    assert.equal(await search.inputValue(), '?', 'the ? went into the search box')
    assert.equal(await help.count(), 0, 'no help while typing')
    await search.fill('')
    await column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ }).focus()
    await page.keyboard.press('?')
    await see(help.getByText('Pick the card up to move it (or M)'), 'the shortcut help')
    await page.keyboard.press('Escape')
    await gone(help, 'the shortcut help')
  })

  await step('the filters narrow the board through the URL', async () => {
    // Every fourth task is urgent (createTasks); the moved one is not.
    const urgent = (columnIndex) => specs.filter((spec) => spec.priority === 'urgent' && spec.column === columnIndex).length
    const total = (columnIndex) => specs.filter((spec) => spec.column === columnIndex).length + (columnIndex === 1 ? 1 : -1)
    await page.getByLabel('Priority').selectOption('urgent')
    await page.waitForURL(/[?&]priority=urgent/)
    for (const i of [0, 1]) {
      await see(column(columns[i].name).getByLabel(`${urgent(i)} of ${total(i)} tasks shown`), `the filtered count of ${columns[i].name}`)
    }
    const shown = page.getByTestId('task-card')
    const priorities = await shown.locator('[data-priority]').evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-priority')))])
    assert.deepEqual(priorities, ['urgent'], 'only urgent cards are left')
    await page.getByRole('searchbox', { name: 'Search' }).fill('Task 004 ')
    await page.waitForURL(/[?&]q=Task/)
    await see(page.getByRole('button', { name: /Task 004 of the relaunch/ }), 'the urgent task 004')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="task-card"]').length === 1)
    await page.reload()
    assert.equal(await page.getByLabel('Priority').inputValue(), 'urgent', 'the filter survives a reload')
    await see(page.getByRole('button', { name: /Task 004 of the relaunch/ }), 'the filtered card after reload')
    assert.equal(await shown.count(), 1)
    await page.getByRole('link', { name: 'List view' }).click()
    await page.waitForURL(/\/list\?/)
    assert.match(page.url(), /priority=urgent/, 'the list view keeps the filters')
    await page.goBack()
    await page.getByRole('button', { name: 'Clear' }).click()
    await see(column(columns[0].name).getByLabel(`${total(0)} tasks`, { exact: true }), `all of ${columns[0].name} again`)
    assert.doesNotMatch(page.url(), /priority|q=/, 'the filters left the URL')
  })

  await step('the skip link is the first Tab stop and leads to the page', async () => {
    await page.goto(boardPath)
    await see(page.getByTestId('task-card'), 'the board')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content')
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the page content has focus')
  })

  await step('at 360 px the board shows one column at a time, picked above it, without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.goto(boardPath)
    await see(column(columns[0].name).getByTestId('task-card'), `the ${columns[0].name} column`)
    await assertFitsWidth(page, 'the board at 360 px')
    assert.equal(await column(columns[1].name).isVisible(), false, `${columns[1].name} waits for the picker`)
    await page.getByLabel('Column', { exact: true }).selectOption({ label: columns[1].name })
    await see(column(columns[1].name).getByRole('button', { name: /Task 001 of the relaunch/ }), `the ${columns[1].name} column`)
    assert.equal(await column(columns[0].name).isVisible(), false, `${columns[0].name} is hidden now`)
    await assertFitsWidth(page, 'the board at 360 px after picking a column')
    await page.getByRole('button', { name: 'Filters' }).click()
    await see(page.getByRole('searchbox', { name: 'Search' }), 'the filters')
    await assertFitsWidth(page, 'the board at 360 px with its filters open')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
