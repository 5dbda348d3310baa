// Browser test of the audit log (issue 13): an owner changes a member's role on the Members page, opens the
// Audit log from the sidebar, filters it by action, sees the row with its before and after, reloads and the
// filter is still there (it lives in the URL), and the page fits a 360 px phone.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/audit.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, call, createOrganization, newPage, ready, see, session, signUp, steps, useBrowser, linkInMail } from './support.mjs'

useBrowser()

let owner
let member
before(async () => {
  await ready()
  owner = session.page
  member = await newPage()
})

test('an owner changes a member’s role and finds it in the audit log, filtered in the URL', { timeout: 240_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const ownerEmail = `audit-owner-${stamp}@example.com`
  const memberEmail = `audit-member-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  let orgId

  await step('an owner with a verified address and a member who joined through an invitation', async () => {
    await signUp(owner, { name: 'Audra Owner', email: ownerEmail, password })
    orgId = await createOrganization(owner, `Audit Agency ${stamp}`)
    await owner.goto(await linkInMail(owner, ownerEmail, 'Welcome', '/verify-email'))
    await see(owner.getByRole('heading', { name: 'Your email address is verified' }), 'the verified message')
    await call(owner, 'POST', `/api/v1/orgs/${orgId}/invitations`, { email: memberEmail, role: 'member' })
    const acceptPath = await linkInMail(owner, memberEmail, 'invited you', '/invitations/accept')
    await signUp(member, { name: 'Milo Member', email: memberEmail, password })
    await call(member, 'POST', '/api/v1/invitations/accept', { token: new URL(acceptPath, 'http://x').searchParams.get('token') })
  })

  await step('the owner makes the member a manager on the Members page', async () => {
    await owner.goto(`/orgs/${orgId}/members`)
    const role = owner.getByRole('combobox', { name: 'Role of Milo Member' })
    await see(role, 'the member’s role picker')
    await role.selectOption('manager')
    await see(owner.getByText('Milo Member is now manager'), 'the change confirmed')
  })

  await step('the owner opens the Audit log from the sidebar and filters by the role change', async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click()
    await see(owner.getByRole('heading', { name: 'Audit log', exact: true }), 'the Audit log heading')
    await see(owner.getByRole('table', { name: 'Audit log' }), 'the log')
    await owner.getByLabel('Action', { exact: true }).selectOption('member.role_changed')
    await owner.waitForURL((url) => url.searchParams.get('action') === 'member.role_changed')
    const rows = owner.locator('tr[data-audit-action]')
    await see(rows.filter({ hasText: 'member.role_changed' }), 'the role change')
    await owner.waitForFunction(() => document.querySelectorAll('tr[data-audit-action]').length === 1, null, { timeout: 10_000 })
      .catch(async () => assert.fail(`only the role change is listed, not ${await rows.evaluateAll((rs) => rs.map((r) => r.dataset.auditAction))}`))
    await see(rows.first().getByText('Audra Owner'), 'the owner as actor')
  })

  await step('its details show the role before and after', async () => {
    await owner.getByRole('button', { name: 'Show details of member.role_changed' }).click()
    const changes = owner.getByRole('table', { name: 'Changes' })
    await see(changes.getByRole('row', { name: /role member manager/ }), 'role: member → manager')
  })

  await step('a reload keeps the filter from the URL', async () => {
    await owner.reload()
    assert.equal(await owner.getByLabel('Action', { exact: true }).inputValue(), 'member.role_changed')
    await see(owner.locator('tr[data-audit-action="member.role_changed"]'), 'the role change after the reload')
    assert.equal(await owner.locator('tr[data-audit-action]').count(), 1, 'the reload asked for the filtered log only')
  })

  await step('Export CSV exports the filtered log: the file holds the role change and nothing the filter leaves out', async () => {
    await owner.getByRole('button', { name: 'Export CSV' }).click()
    const done = owner.getByRole('link', { name: /Download CSV/ })
    await see(done, 'the finished export')
    const response = await owner.request.get(await done.getAttribute('href'))
    assert.equal(response.status(), 200, 'the requester downloads the export')
    const csv = await response.text()
    assert.ok(csv.startsWith('\uFEFFid,created_at,actor_id'), 'BOM and header')
    assert.match(csv, /member\.role_changed/, 'the role change is in the file')
    assert.doesNotMatch(csv, /auth\.signed_in/, 'rows the filter leaves out are not')
  })

  await step('a member cannot open it', async () => {
    await member.goto(`/orgs/${orgId}/audit-log`)
    await see(member.getByRole('heading', { name: 'You don\'t have access' }), 'no access for a manager')
    assert.equal(await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).count(), 0)
  })

  await step('the audit log fits a 360 px phone', async () => {
    await owner.setViewportSize({ width: 360, height: 740 })
    await owner.reload()
    await see(owner.locator('tr[data-audit-action="member.role_changed"]'), 'the row on a phone')
    await assertFitsWidth(owner, 'the audit log')
    await owner.setViewportSize({ width: 1280, height: 800 })
  })
})
