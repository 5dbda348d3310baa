// The first visit in a real browser: the sign-in page loads only the app shell (no editor, drag and drop,
// charts, command menu or API reference, each found by a string only its code contains, the same list as
// web/scripts/size-report.mjs), within the 250 KB budget on the wire; signed in, the board and the task
// editor still load their code when opened; a board page load makes few API calls; tabs are titled.
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { lateLibraries } from '../scripts/size-report.mjs'
import { call, ready, see, session, steps, useBrowser } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/**
 * Records what `page` downloads from now on: every asset (its path, the bytes on the wire, and for scripts the
 * decoded text) and every API call. `stop()` ends the recording.
 */
function record(page) {
  const assets = []
  const apiCalls = []
  const pending = []
  const onResponse = (response) => {
    const url = new URL(response.url())
    if (url.pathname.startsWith('/api/')) apiCalls.push(`${response.request().method()} ${url.pathname}${url.search}`)
    if (!url.pathname.startsWith('/assets/')) {
      pending.push(Promise.resolve())
      return
    }
    pending.push(
      (async () => {
        const sizes = await response.request().sizes()
        const text = url.pathname.endsWith('.js') ? await response.text() : ''
        assets.push({ path: url.pathname, wire: sizes.responseBodySize, encoding: response.headers()['content-encoding'], text })
      })(),
    )
  }
  page.on('response', onResponse)
  return {
    assets,
    apiCalls,
    /**
     * Stops recording once nothing new arrived for a second and every response seen has been read. (Not
     * Playwright's networkidle: the app's live-update stream stays open on signed-in pages.)
     */
    async stop() {
      let count = -1
      while (count !== pending.length) {
        count = pending.length
        await page.waitForTimeout(1_000)
      }
      page.off('response', onResponse)
      await Promise.all(pending)
    },
  }
}

/** The late libraries whose code is in the recorded scripts, as "library in /assets/x.js". */
function lateCodeIn(assets) {
  const found = []
  for (const a of assets) {
    for (const [library, marker] of Object.entries(lateLibraries)) {
      if (a.text.includes(marker)) found.push(`${library} in ${a.path}`)
    }
  }
  return found
}

test('the sign-in page loads only the app shell; the board and the editor load theirs when opened', { timeout: 120_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const email = `e2e-first-load-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  let org, boardPath

  await step('the sign-in page downloads no editor, drag and drop, charts, command menu or API reference', async () => {
    const seen = record(page)
    await page.goto('/sign-in')
    await see(page.getByRole('button', { name: 'Sign in', exact: true }), 'the sign-in form')
    await seen.stop()

    const scripts = seen.assets.filter((a) => a.path.endsWith('.js'))
    assert.ok(scripts.length > 0, 'the page loaded scripts')
    assert.deepEqual(lateCodeIn(scripts), [], 'the sign-in page loads none of the later pages’ libraries')
    for (const a of seen.assets) assert.equal(a.encoding, 'br', `${a.path} comes brotli compressed`)
    const wire = seen.assets.reduce((n, a) => n + a.wire, 0)
    console.log(`sign-in page: ${seen.assets.length} assets, ${wire.toLocaleString('en-US')} B on the wire (brotli)`)
    assert.ok(wire <= 250_000, `the sign-in page's assets take ${wire} B on the wire, over 250,000`)
    assert.equal(await page.title(), 'Sign in · ClientFlow')
  })

  await step('an owner with a project and a task signs in through the form and lands on the board', async () => {
    await call(page, 'POST', '/api/v1/auth/sign-up', { name: 'Fay First', email, password })
    org = await call(page, 'POST', '/api/v1/orgs', { name: `First Load ${stamp}` })
    const project = await call(page, 'POST', `/api/v1/orgs/${org.id}/projects`, { name: 'Website relaunch' })
    await call(page, 'POST', `/api/v1/orgs/${org.id}/projects/${project.id}/tasks`, { title: 'Write the brief' })
    await call(page, 'POST', '/api/v1/auth/sign-out')
    boardPath = `/orgs/${org.id}/projects/${project.id}/board`

    await page.goto(`/sign-in?next=${encodeURIComponent(boardPath)}`)
    const seen = record(page)
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL((url) => url.pathname === boardPath)
    const card = page.getByRole('region', { name: 'Column To do' }).getByRole('button', { name: /Write the brief/ })
    await see(card, 'the task on the board')
    await seen.stop()
    assert.ok(
      lateCodeIn(seen.assets).some((f) => f.startsWith('dnd-kit')),
      `opening the board loaded drag and drop: ${seen.assets.map((a) => a.path).join(', ')}`,
    )
    assert.equal(await page.title(), 'Board · Website relaunch · ClientFlow')
  })

  await step('the task drawer opens with a working rich-text editor', async () => {
    await page.getByRole('region', { name: 'Column To do' }).getByRole('button', { name: /Write the brief/ }).click()
    await page.waitForURL(/[?&]task=/)
    const drawer = page.getByRole('dialog')
    await see(drawer.getByLabel('Title'), 'the task drawer')
    const description = drawer.getByRole('textbox', { name: 'Description' })
    await see(description, 'the description editor')
    assert.equal(await description.evaluate((el) => el.classList.contains('ProseMirror')), true, 'the editor is ProseMirror')
    await description.click()
    await page.keyboard.type('Two pages, one CTA')
    await see(description.getByText('Two pages, one CTA'), 'the typed description')
    await see(drawer.getByRole('heading', { name: 'Comments' }), 'the comments section')
    await page.keyboard.press('Escape')
  })

  await step('a board page load makes few API calls', async () => {
    // From a blank page, so nothing the drawer's edit set off on the board before is counted.
    await page.goto('about:blank')
    const seen = record(page)
    await page.goto(boardPath)
    await see(page.getByRole('region', { name: 'Column To do' }).getByRole('button', { name: /Write the brief/ }), 'the board')
    await seen.stop()
    console.log(`board page load: ${seen.apiCalls.length} API calls\n  ${seen.apiCalls.join('\n  ')}`)
    const repeated = seen.apiCalls.filter((c, i) => seen.apiCalls.indexOf(c) !== i)
    assert.deepEqual(repeated, [], 'no request is sent twice')
    // Who I am, the config, the organization, its branding and billing state, the unread count, the running timer,
    // the live stream, the project, its board and its members (the board's assignee filter): 11. (The organization
    // settings used to come along too, for the branding fallback and the closed "Edit project" dialog; they now
    // load when needed.)
    assert.ok(seen.apiCalls.length <= 11, `a board load sends ${seen.apiCalls.length} API requests, more than 11`)
  })

  await step('moving between the project’s tabs asks again for nothing it already has', async () => {
    const seen = record(page)
    await page.getByRole('link', { name: 'List', exact: true }).click()
    await page.waitForURL((url) => url.pathname.endsWith('/list'))
    await see(page.getByText('Write the brief'), 'the task in the list')
    await page.getByRole('link', { name: 'Board', exact: true }).click()
    await page.waitForURL((url) => url.pathname === boardPath)
    await see(page.getByRole('region', { name: 'Column To do' }).getByRole('button', { name: /Write the brief/ }), 'the board again')
    await seen.stop()
    console.log(`board → list → board: ${seen.apiCalls.length} API calls\n  ${seen.apiCalls.join('\n  ')}`)
    const repeated = seen.apiCalls.filter((c, i) => seen.apiCalls.indexOf(c) !== i)
    assert.deepEqual(repeated, [], 'no request is sent twice')
    assert.ok(!seen.apiCalls.some((c) => c.endsWith('/board')), 'the board, fetched moments ago, is not fetched again')
  })

  await step('other pages name themselves and the organization', async () => {
    await page.goto(`/orgs/${org.id}/clients`)
    await see(page.getByRole('heading', { name: 'Clients' }), 'the clients page')
    await page.waitForFunction((want) => document.title === want, `Clients · First Load ${stamp} · ClientFlow`)
  })
})
