// Browser test of notifications and live updates with two signed-in people, each in their own browser
// context (see clients.test.mjs for how to run it): A assigns B a task and @mentions B in a comment → B's bell
// counts them without a reload and the email reaches the dev mailbox; A drags the card to Done → B's open
// board shows it there without a reload; B marks all read; the inbox and the preferences page fit a phone.
// It needs the worker (fan-out, emails) and, for the worker's notifications to reach B's stream, Redis:
// TestBrowser in cmd/internal/app provides both.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, call, newPage, ready, see, session, steps, useBrowser, waitForMail } from './support.mjs'

useBrowser()

let a
let b
before(async () => {
  await ready()
  a = session.page
  b = await newPage()
})

/** The token of the first link to `path` (e.g. verify-email) in an email's text. */
function tokenIn(text, path) {
  const match = new RegExp(`${path.replace('/', '\\/')}\\?token=([^\\s<>"'&]+)`).exec(text)
  assert.ok(match, `no ${path} link in: ${text}`)
  return decodeURIComponent(match[1])
}

/** Drags `from` onto `to` with the mouse, in small steps as a person would. */
async function drag(page, from, to) {
  const start = await from.boundingBox()
  const end = await to.boundingBox()
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2)
  await page.mouse.down()
  await page.mouse.move(start.x + start.width / 2 + 10, start.y + start.height / 2, { steps: 5 })
  await page.mouse.move(end.x + end.width / 2, end.y + end.height - 20, { steps: 20 })
  await page.mouse.up()
}

/** Marks the document, so a later check can tell that the page was not reloaded meanwhile. */
const markDocument = (page) => page.evaluate(() => (window.__sameDocument = true))
const sameDocument = (page) => page.evaluate(() => window.__sameDocument === true)

test('two people on one board: notifications and moves arrive live', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const password = `correct horse ${stamp}`
  const bEmail = `live-b-${stamp}@example.com`
  const column = (page, name) => page.getByRole('region', { name: `Column ${name}` })
  let orgId
  let boardPath
  let task
  const bell = (count) => b.getByRole('button', { name: `Notifications, ${count} unread` })

  await step('A has a project with a task, and B is a member of it', async () => {
    const aEmail = `live-a-${stamp}@example.com`
    await call(a, 'POST', '/api/v1/auth/sign-up', { name: 'Ada Assigner', email: aEmail, password })
    // Only a verified address may invite: the welcome email carries the link.
    const welcome = await waitForMail(a, `welcome email to ${aEmail}`, (m) => m.to === aEmail && /verify-email\?token=/.test(m.text))
    await call(a, 'POST', '/api/v1/auth/verify-email', { token: tokenIn(welcome.text, 'verify-email') })
    const org = await call(a, 'POST', '/api/v1/orgs', { name: `Live Agency ${stamp}` })
    orgId = org.id
    const project = await call(a, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Launch site' })
    task = await call(a, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/tasks`, { title: 'Draft the proposal' })
    boardPath = `/orgs/${orgId}/projects/${project.id}/board`

    await call(a, 'POST', `/api/v1/orgs/${orgId}/invitations`, { email: bEmail, role: 'member' })
    const invitation = await waitForMail(a, `invitation to ${bEmail}`, (m) => m.to === bEmail && /invitations\/accept\?token=/.test(m.text))
    await call(b, 'POST', '/api/v1/auth/sign-up', { name: 'Bea Busy', email: bEmail, password })
    await call(b, 'POST', '/api/v1/invitations/accept', { token: tokenIn(invitation.text, 'invitations/accept') })
    const me = await call(b, 'GET', '/api/v1/me')
    await call(a, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/members`, { user_id: me.user.id })
  })

  await step('B opens the board, connected to the live stream, with nothing unread', async () => {
    const stream = b.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/stream')
    await b.goto(boardPath)
    assert.equal((await stream).status(), 200, 'the stream opens')
    await see(column(b, 'To do').getByRole('button', { name: /Draft the proposal/ }), 'the task in To do on B’s board')
    await see(bell(0), 'the bell with 0 unread')
    await markDocument(b)
  })

  await step('A assigns the task to B and mentions B in a comment', async () => {
    await a.goto(`${boardPath}?task=${task.id}`)
    const drawer = a.getByRole('dialog')
    await see(drawer.getByLabel('Title'), 'the task drawer')
    const assigned = a.waitForResponse((r) => r.url().endsWith(`/tasks/${task.id}`) && r.request().method() === 'PATCH')
    // The box shows the saved assignees, so it ticks once the server has answered (check() would not wait).
    const assignee = drawer.getByRole('group', { name: 'Assignees' }).getByLabel('Bea Busy')
    await assignee.click()
    assert.equal((await assigned).status(), 200, 'the assignment is saved')
    await a.waitForFunction((box) => box.checked, await assignee.elementHandle())

    const editor = drawer.getByRole('textbox', { name: 'Comment' })
    await editor.click()
    await a.keyboard.type('@Bea')
    const option = a.getByRole('listbox', { name: 'People to mention' }).getByRole('option', { name: 'Bea Busy' })
    await see(option, 'Bea in the mention picker')
    await option.click()
    await a.keyboard.type(' could you review this?')
    const commented = a.waitForResponse((r) => r.url().endsWith(`/tasks/${task.id}/comments`) && r.request().method() === 'POST')
    await drawer.getByRole('button', { name: 'Comment', exact: true }).click()
    assert.equal((await commented).status(), 201, 'the comment is saved')
  })

  await step('B’s bell counts them without a reload, and lists them', async () => {
    const counted = b.getByRole('button', { name: /^Notifications, ([2-9]|\d{2,}) unread$/ })
    await see(counted, 'the bell with at least 2 unread')
    assert.ok(await sameDocument(b), 'B’s page was not reloaded')
    await counted.click()
    const menu = b.getByRole('menu')
    await see(menu.getByRole('menuitem', { name: /Assigned to you: #\d+ Draft the proposal/ }), 'the assignment in the bell')
    await see(menu.getByRole('menuitem', { name: /Ada Assigner mentioned you on #\d+ Draft the proposal/ }), 'the mention in the bell')
    await b.keyboard.press('Escape')
  })

  await step('the notification email reaches B in the dev mailbox', async () => {
    const mail = await waitForMail(a, `notification email to ${bEmail}`, (m) => m.to === bEmail && m.text.includes('Draft the proposal'))
    assert.match(mail.text, new RegExp(`/orgs/${orgId}/projects/`), 'the email links to the task')
  })

  await step('A drags the card to Done; B’s open board shows it there without a reload', async () => {
    await a.keyboard.press('Escape')
    await a.getByRole('dialog').waitFor({ state: 'detached' })
    const moved = a.waitForResponse((r) => r.url().endsWith('/move') && r.request().method() === 'POST')
    await drag(a, column(a, 'To do').getByRole('button', { name: /Draft the proposal/ }), column(a, 'Done'))
    assert.equal((await moved).status(), 200, 'the move is saved')
    await see(column(b, 'Done').getByRole('button', { name: /Draft the proposal/ }), 'the task in Done on B’s board')
    assert.equal(await column(b, 'To do').getByRole('button', { name: /Draft the proposal/ }).count(), 0, 'it left To do on B’s board')
    assert.ok(await sameDocument(b), 'B’s page was not reloaded')
  })

  await step('B marks all read from the bell', async () => {
    // The move told B (an assignee) too, a moment after the board showed it: wait for that notification, or it
    // could land after Mark all read and leave the bell at 1.
    await b.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ }).click()
    const menu = b.getByRole('menu')
    await see(menu.getByRole('menuitem', { name: /Draft the proposal (is done|moved to)/ }), 'the move in the bell')
    await menu.getByRole('menuitem', { name: 'Mark all read' }).click()
    // The menu stays open, showing every item read; the bell (hidden from assistive tech while it is open) then says 0.
    await see(menu.getByRole('menuitem', { name: /Assigned to you/ }), 'the assignment still listed')
    await menu.getByText('Unread:').first().waitFor({ state: 'detached' })
    await b.keyboard.press('Escape')
    await see(bell(0), 'the bell with 0 unread')
  })

  await step('on a phone, B’s inbox lists them all read and nothing scrolls sideways', async () => {
    await b.setViewportSize({ width: 360, height: 740 })
    await bell(0).click()
    await b.getByRole('menuitem', { name: 'See all notifications' }).click()
    await b.waitForURL((url) => url.pathname === `/orgs/${orgId}/notifications`)
    const list = b.getByRole('list', { name: 'Notifications' })
    await see(list.getByRole('link', { name: /Assigned to you/ }), 'the assignment in the inbox')
    assert.equal(await list.getByText('Unread:').count(), 0, 'nothing is unread')
    // The header's last control to load: the page is complete.
    await see(b.getByRole('button', { name: 'Start timer' }), 'the timer in the header')
    await assertFitsWidth(b, 'the inbox')

    await b.goto('/account/notifications')
    const mentionEmail = b.getByRole('checkbox', { name: 'Someone @mentions me: Email' })
    await see(mentionEmail, 'the preferences matrix')
    await assertFitsWidth(b, 'the preferences page')
    assert.ok(await b.getByRole('checkbox', { name: 'My sessions were signed out: Email' }).isDisabled(), 'security email is locked')
    await mentionEmail.uncheck()
    await b.getByRole('button', { name: 'Save preferences' }).click()
    await see(b.getByText('Notification preferences saved'), 'the saved message')
    await b.reload()
    await see(mentionEmail, 'the preferences matrix after a reload')
    assert.equal(await mentionEmail.isChecked(), false, 'the choice is kept')
  })
})
