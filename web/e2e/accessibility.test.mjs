// Browser test: axe-core finds no critical or serious accessibility violation on the main pages, for an
// owner on a 1440 px desktop and a 360 px phone, for a member on the pages a member uses, and for the
// signed-out pages; the offline banner appears (and passes axe) while the browser is offline.
// Run it alone with CLIENTFLOW_E2E_ONLY=e2e/accessibility.test.mjs (see README → Browser tests).
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertAccessible, assertFitsWidth, call, createOrganization, gone, linkInMail, newPage, ready, see, session, signUp, steps, useBrowser } from './support.mjs'

useBrowser({ viewport: { width: 1440, height: 900 } })

let owner
let member
let contact
before(async () => {
  await ready()
  owner = session.page
  member = await newPage({ viewport: { width: 1440, height: 900 } })
  contact = await newPage({ viewport: { width: 1440, height: 900 } })
})

const desktop = { width: 1440, height: 900 }
const phone = { width: 360, height: 740 }

/**
 * Opens path on page, waits until `landmark(page)` is visible (the page's data has loaded, not its
 * skeleton) and runs axe on it; on the phone, checks the page fits its width too.
 */
async function check(page, what, path, landmark) {
  await open(page, path)
  await see(landmark(page), `${what} loaded`)
  try {
    await assertAccessible(page, what)
  } catch (error) {
    failures.push(error.message)
  }
  // On the phone every checked page must also fit: no sideways page scroll at 360 px.
  if (page.viewportSize()?.width === phone.width) {
    try {
      await assertFitsWidth(page, `${what} at 360 px`)
    } catch (error) {
      failures.push(error.message)
    }
  }
}

/**
 * Goes to path as a click on a link would once the app is loaded (the router follows history, the query
 * cache is kept): loading every page from scratch would make one person exceed the API's 120 requests a
 * minute and test the rate limit's error page instead.
 */
async function open(page, path) {
  if (!page.url().startsWith('http')) return page.goto(path)
  await page.evaluate((to) => {
    window.history.pushState({}, '', to)
    window.dispatchEvent(new PopStateEvent('popstate'))
  }, path)
  await page.waitForURL((url) => url.pathname + url.search === path)
}

/** The violations of a step's pages, reported together at its end so one run shows them all. */
let failures = []
function reportFailures() {
  const found = failures
  failures = []
  assert.equal(found.length, 0, found.join('\n\n'))
}

const h1 = (name) => (page) => page.getByRole('heading', { level: 1, name, exact: true })

test('the main pages have no serious or critical axe violations, for owners and members, on desktop and phone', { timeout: 300_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const ownerEmail = `a11y-owner-${stamp}@example.com`
  const memberEmail = `a11y-member-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  let org
  let client
  let project
  let task

  await step('the signed-out pages: sign-in and sign-up, on desktop and phone', async () => {
    const stranger = await newPage({ viewport: desktop })
    for (const viewport of [desktop, phone]) {
      await stranger.setViewportSize(viewport)
      await check(stranger, `sign-in at ${viewport.width} px`, '/sign-in', h1('Sign in'))
      await check(stranger, `sign-up at ${viewport.width} px`, '/sign-up', h1('Create your account'))
    }
    await stranger.context().close()
    reportFailures()
  })

  await step('an owner with a client, a project with tasks, and a member who joined by invitation', async () => {
    await signUp(owner, { name: 'Ada Owner', email: ownerEmail, password })
    org = await createOrganization(owner, `A11y Agency ${stamp}`)
    client = await call(owner, 'POST', `/api/v1/orgs/${org}/clients`, { name: 'Contrast & Co', email: `billing-${stamp}@example.com` })
    project = await call(owner, 'POST', `/api/v1/orgs/${org}/projects`, { name: 'Readable site', client_id: client.id })
    task = await call(owner, 'POST', `/api/v1/orgs/${org}/projects/${project.id}/tasks`, { title: 'Check the headings' })
    await call(owner, 'POST', `/api/v1/orgs/${org}/projects/${project.id}/tasks`, { title: 'Label the forms' })
    await owner.goto(await linkInMail(owner, ownerEmail, 'Welcome', '/verify-email'))
    await see(owner.getByRole('heading', { name: 'Your email address is verified' }), 'the verified message')
    await call(owner, 'POST', `/api/v1/orgs/${org}/invitations`, { email: memberEmail, role: 'member' })
    const acceptPath = await linkInMail(owner, memberEmail, 'invited you', '/invitations/accept')
    await signUp(member, { name: 'Max Member', email: memberEmail, password })
    await call(member, 'POST', '/api/v1/invitations/accept', { token: new URL(acceptPath, 'http://x').searchParams.get('token') })
    const { user } = await call(member, 'GET', '/api/v1/me')
    await call(owner, 'POST', `/api/v1/orgs/${org}/projects/${project.id}/members`, { user_id: user.id })
  })

  const ownerPages = () => [
    ['clients', `/orgs/${org}/clients`, (p) => p.getByRole('cell', { name: /Contrast & Co/ })],
    ['the client page', `/orgs/${org}/clients/${client.id}`, h1('Contrast & Co')],
    ['the project board', `/orgs/${org}/projects/${project.id}/board`, (p) => p.getByText('Check the headings')],
    ['the task drawer', `/orgs/${org}/projects/${project.id}/board?task=${task.id}`, (p) => p.getByRole('dialog').getByLabel('Title')],
    ['the timesheet', `/orgs/${org}/time`, h1('Timesheet')],
    ['invoices', `/orgs/${org}/invoices`, h1('Invoices')],
    ['members', `/orgs/${org}/members`, (p) => p.getByRole('row').filter({ hasText: memberEmail })],
    ['settings', `/orgs/${org}/settings`, (p) => p.getByLabel('Organization name')],
    ['billing', `/orgs/${org}/billing`, (p) => p.getByText('Usage', { exact: true })],
  ]

  for (const viewport of [desktop, phone]) {
    await step(`owner pages at ${viewport.width} px`, async () => {
      await owner.setViewportSize(viewport)
      for (const [what, path, landmark] of ownerPages()) await check(owner, `${what} (owner, ${viewport.width} px)`, path, landmark)
      reportFailures()
    })
  }

  await step('member pages at 1440 and 360 px, with the role hint on a disabled control', async () => {
    const memberPages = [
      ['clients', `/orgs/${org}/clients`, (p) => p.getByTestId('role-hint')],
      ['the project board', `/orgs/${org}/projects/${project.id}/board`, (p) => p.getByText('Check the headings')],
      ['the task drawer', `/orgs/${org}/projects/${project.id}/board?task=${task.id}`, (p) => p.getByRole('dialog').getByLabel('Title')],
      ['the timesheet', `/orgs/${org}/time`, h1('Timesheet')],
      ['members', `/orgs/${org}/members`, (p) => p.getByTestId('role-hint')],
      ['billing (no access)', `/orgs/${org}/billing`, (p) => p.getByRole('heading', { name: "You don't have access" })],
    ]
    // A fresh load: the member's /me was read before the invitation was accepted (through the API).
    await member.goto(`/orgs/${org}/clients`)
    for (const viewport of [desktop, phone]) {
      await member.setViewportSize(viewport)
      for (const [what, path, landmark] of memberPages) await check(member, `${what} (member, ${viewport.width} px)`, path, landmark)
    }
    reportFailures()
    await member.setViewportSize(desktop)
    await member.goto(`/orgs/${org}/clients`)
    await see(member.getByTestId('role-hint').getByText('Only owners, admins and managers can add and edit clients.'), 'the role hint')
    assert.ok(await member.getByRole('button', { name: 'New client' }).isDisabled(), 'New client is disabled for a member')
    assert.equal(await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).count(), 0, 'no Billing for a member')
    await open(member, `/orgs/${org}/projects/${project.id}/board`)
    await see(member.getByTestId('role-hint').getByText('Only owners, admins and managers can edit projects.'), 'the project’s role hint')
    assert.ok(await member.getByRole('button', { name: 'Edit', exact: true }).isDisabled(), 'the project’s Edit is disabled for a member')
  })

  await step('client portal pages for a client contact at 1440 and 360 px', async () => {
    const contactEmail = `a11y-contact-${stamp}@example.com`
    await call(owner, 'PATCH', `/api/v1/orgs/${org}/clients/${client.id}`, { portal_enabled: true })
    await call(owner, 'POST', `/api/v1/orgs/${org}/clients/${client.id}/contacts`, { email: contactEmail })
    const acceptPath = await linkInMail(owner, contactEmail, 'invited you', '/invitations/accept')
    await signUp(contact, { name: 'Cleo Contact', email: contactEmail, password })
    await call(contact, 'POST', '/api/v1/invitations/accept', { token: new URL(acceptPath, 'http://x').searchParams.get('token') })
    const portal = `/client-portal/${org}`
    await contact.goto(portal)
    const portalPages = [
      ['the portal summary', portal, (p) => p.getByRole('heading', { name: 'Contrast & Co' })],
      ['portal projects', `${portal}/projects`, (p) => p.getByRole('link', { name: 'Readable site' })],
      ['a portal project', `${portal}/projects/${project.id}`, (p) => p.getByRole('heading', { name: 'Readable site' })],
      ['portal files', `${portal}/files`, (p) => p.getByRole('heading', { level: 1 })],
      ['portal invoices', `${portal}/invoices`, (p) => p.getByRole('heading', { level: 1 })],
      ['portal requests', `${portal}/requests`, (p) => p.getByRole('heading', { level: 1 })],
    ]
    for (const viewport of [desktop, phone]) {
      await contact.setViewportSize(viewport)
      for (const [what, path, landmark] of portalPages) await check(contact, `${what} (client contact, ${viewport.width} px)`, path, landmark)
    }
    reportFailures()
  })

  await step('offline: a polite banner says so, passes axe, and leaves once back online', async () => {
    await owner.setViewportSize(desktop)
    await owner.goto(`/orgs/${org}/clients`)
    await see(owner.getByRole('cell', { name: /Contrast & Co/ }), 'the clients list')
    assert.equal(await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).count(), 1, 'Billing for the owner')
    assert.equal(await owner.getByTestId('offline-banner').count(), 0, 'no banner while online')
    await owner.context().setOffline(true)
    const banner = owner.getByTestId('offline-banner')
    await see(banner, 'the offline banner')
    assert.equal(await owner.getByRole('status').filter({ has: banner }).getAttribute('aria-live'), 'polite')
    await assertAccessible(owner, 'the clients page with the offline banner')
    await owner.context().setOffline(false)
    await gone(banner, 'the offline banner')
  })
})
