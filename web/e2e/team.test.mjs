// Browser test of the team journey against a running app (see clients.test.mjs for how to run it):
// an owner invites a second person as a member, who signs up through the emailed link, lands in the
// organization with that role, and finds what the role forbids hidden or refused.
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { newPage, ready, session, useBrowser, createOrganization, signUp, steps, linkInMail } from './support.mjs'

useBrowser()

// The owner uses the page useBrowser opens; the invitee gets a second page in its own context (its own cookies).
let owner
let invitee
before(async () => {
  await ready()
  owner = session.page
  invitee = await newPage()
})

/** Waits until `locator` is visible on `page`, failing with `what` and a screenshot path. */
async function see(page, locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' })
  } catch (error) {
    const shot = join(mkdtempSync(join(tmpdir(), 'clientflow-e2e-')), 'failure.png')
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {})
    assert.fail(`Expected to see ${what} on ${page.url()} (screenshot: ${shot}): ${error.message.split('\n')[0]}`)
  }
}

test('an owner invites a member, who signs up through the link and gets only what the role allows', { timeout: 240_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  const ownerEmail = `team-owner-${stamp}@example.com`
  const memberEmail = `team-member-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  const orgName = `Team Agency ${stamp}`
  let orgPath
  let acceptPath

  await step('the owner signs up, verifies the address and creates the organization with a client', async () => {
    await signUp(owner, { name: 'Olga Owner', email: ownerEmail, password })
    orgPath = `/orgs/${await createOrganization(owner, orgName)}`
    const created = await owner.request.post(`/api/v1${orgPath}/clients`, { data: { name: 'Keep Me Inc' } })
    assert.equal(created.status(), 201, 'the client is created')

    await owner.goto(await linkInMail(owner, ownerEmail, 'Welcome', '/verify-email'))
    await see(owner, owner.getByRole('heading', { name: 'Your email address is verified' }), 'the verified message')
  })

  await step('the owner invites the member from Settings → Members', async () => {
    await owner.goto(`${orgPath}/clients`)
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click()
    await see(owner, owner.getByRole('heading', { name: 'Members', exact: true }), 'the Members heading')
    await owner.getByRole('button', { name: 'Invite' }).click()
    const dialog = owner.getByRole('dialog', { name: 'Invite someone' })
    await dialog.getByLabel('Email').fill(memberEmail)
    await dialog.getByLabel('Role').selectOption('member')
    await dialog.getByRole('button', { name: 'Send invitation' }).click()
    await see(owner, owner.getByRole('list', { name: 'Pending invitations' }).getByText(memberEmail), 'the pending invitation')
    acceptPath = await linkInMail(owner, memberEmail, 'invited you', '/invitations/accept')
  })

  await step('the invitee opens the link, signs up with the invited address and accepts', async () => {
    await invitee.goto(acceptPath)
    await see(invitee, invitee.getByText(orgName), 'the organization in the invitation preview')
    await invitee.getByRole('link', { name: 'Create an account to accept' }).click()
    await invitee.waitForURL('**/sign-up?**')
    assert.equal(await invitee.getByLabel('Email', { exact: true }).inputValue(), memberEmail, 'the invited address is prefilled')
    await invitee.getByLabel('Name', { exact: true }).fill('Mia Member')
    await invitee.getByLabel('Password', { exact: true }).fill(password)
    await invitee.getByRole('button', { name: 'Create account' }).click()
    await invitee.waitForURL('**/invitations/accept?**')
    await invitee.getByRole('button', { name: 'Accept invitation' }).click()
    await invitee.waitForURL((url) => url.pathname === `${orgPath}/my-work`)
    await see(invitee, invitee.getByRole('heading', { name: 'My work', exact: true }), 'the organization’s home: My work')
    // A member sees no link to the organization dashboard on their home; the navigation still has it.
    assert.equal(await invitee.getByRole('link', { name: 'Organization dashboard' }).count(), 0, 'no dashboard shortcut for a member')
    await invitee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
    await see(invitee, invitee.getByRole('heading', { name: 'Dashboard', exact: true }), 'the organization’s dashboard')
    // A member holds no invoices.read: the dashboard shows no revenue figure or chart, and the API none.
    await see(invitee, invitee.locator('[data-kpi="Active projects"]'), 'the key figures')
    assert.equal(await invitee.getByText('Revenue (paid)').count(), 0, 'no revenue figure for a member')
    assert.equal(await invitee.getByRole('heading', { name: 'Revenue per month' }).count(), 0, 'no revenue chart for a member')
    const dashboard = await invitee.request.get(`/api/v1${orgPath}/dashboard`)
    assert.equal(dashboard.status(), 200)
    assert.equal((await dashboard.json()).revenue, null, 'the API leaves revenue out')
    await invitee.goto(`${orgPath}/clients`)
    await see(invitee, invitee.getByRole('cell', { name: /Keep Me Inc/ }), 'the organization’s client')
  })

  await step('the member cannot delete clients, manage members or open settings and roles', async () => {
    assert.equal(await invitee.getByRole('button', { name: /^Delete / }).count(), 0, 'no Delete buttons for a member')
    const newClient = invitee.getByRole('button', { name: 'New client' })
    assert.equal(await newClient.isDisabled(), true, 'New client is disabled for a member')
    assert.match((await invitee.getByTestId('role-hint').first().textContent()) ?? '', /^Only .* can /, 'with a hint naming who can')
    const nav = invitee.getByRole('navigation', { name: 'Main' })
    assert.equal(await nav.getByRole('link', { name: 'Settings' }).count(), 0, 'Settings is hidden')
    assert.equal(await nav.getByRole('link', { name: 'Roles & permissions' }).count(), 0, 'Roles is hidden')

    await nav.getByRole('link', { name: 'Members' }).click()
    await see(invitee, invitee.getByText('Mia Member'), 'the member in the team list')
    await see(invitee, invitee.getByText('You can see the team'), 'the read-only note')
    assert.equal(await invitee.getByRole('button', { name: 'Invite' }).isDisabled(), true, 'Invite is disabled for a member')
    assert.equal(await invitee.getByRole('combobox').count(), 0, 'no role pickers')

    await invitee.goto(`${orgPath}/roles`)
    await see(invitee, invitee.getByRole('heading', { name: "You don't have access" }), 'the no-access state')
  })

  await step('the owner sees the member with the invited role', async () => {
    await owner.goto(`${orgPath}/members`)
    const row = owner.getByRole('row').filter({ hasText: memberEmail })
    await see(owner, row, 'the new member')
    assert.equal(await row.getByRole('combobox', { name: 'Role of Mia Member' }).inputValue(), 'member')
  })
})
