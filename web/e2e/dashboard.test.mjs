// Browser test of the dashboard (issue 13): a new organization's home shows its empty states; after a
// client, an active project and a paid invoice exist (made through the API), the key figures and the
// revenue count them, the client filter and the period stay in the URL, and the page fits a 360 px phone.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/dashboard.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, call, createOrganization, see, session, signUp, steps, useBrowser, ready } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** The figure of the key-figure card labelled `label`. */
const kpi = (label) => page.locator(`[data-kpi="${label}"]`)

test('the dashboard shows empty states, then the figures of a client, a project and a paid invoice', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  let orgId
  let clientId

  await step('sign up, create an organization and open its dashboard from the navigation', async () => {
    await signUp(page, { name: 'Dana Dash', email: `dash-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Dash Agency ${stamp}`)
    await page.goto(`/orgs/${orgId}`)
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/my-work`)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/dashboard`)
    await see(page.getByRole('heading', { name: 'Dashboard', exact: true }), 'the Dashboard heading')
  })

  await step('with no data every widget shows its empty state', async () => {
    await see(page.getByText('No projects yet.'), 'the projects-by-status empty state')
    await see(page.getByText('No project was created in this period.'), 'the monthly projects empty state')
    await see(page.getByText('No invoice was paid in this period.'), 'the revenue empty state')
    await see(page.getByText('None in this period'), 'the revenue figure empty state')
    assert.equal(await kpi('Active projects').textContent(), '0')
    assert.equal(await kpi('Clients').textContent(), '0')
  })

  await step('a client, an active project and a paid invoice show up in the figures', async () => {
    const client = await call(page, 'POST', `/api/v1/orgs/${orgId}/clients`, { name: 'Acme Ltd', email: 'ap@acme.example' })
    clientId = client.id
    await call(page, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Website redesign', client_id: clientId, status: 'active' })
    await call(page, 'POST', `/api/v1/orgs/${orgId}/clients`, { name: 'Globex' })
    const today = new Date().toISOString().slice(0, 10)
    const invoice = await call(page, 'POST', `/api/v1/orgs/${orgId}/invoices`, {
      client_id: clientId,
      currency: 'EUR',
      issue_date: today,
      due_date: today,
      lines: [{ description: 'Design', quantity_milli: 1000, unit_price: 123456 }],
    })
    await call(page, 'POST', `/api/v1/orgs/${orgId}/invoices/${invoice.id}/send`)
    await call(page, 'POST', `/api/v1/orgs/${orgId}/invoices/${invoice.id}/payments`, { amount: invoice.total, paid_on: today })

    await page.reload()
    await see(kpi('Active projects').getByText('1', { exact: true }), 'one active project')
    assert.equal(await kpi('Clients').textContent(), '2')
    await see(kpi('Revenue (paid)').getByText(/1,234\.56/), 'the paid invoice in euros')
    await see(page.getByRole('list', { name: 'Projects by status' }).getByRole('link', { name: /Active: 1/ }), 'the status link')
    await see(page.getByRole('table', { name: 'Projects created per month' }), 'the chart’s text alternative')
    await see(page.getByRole('list', { name: 'Activity' }).getByText(/Website redesign/), 'the project in recent activity')
  })

  await step('the client filter and the period are kept in the URL', async () => {
    await page.getByLabel('Filter by client').selectOption({ label: 'Globex' })
    await page.waitForURL((url) => url.searchParams.has('client_id'))
    await see(kpi('Active projects').getByText('0', { exact: true }), 'Globex has no active project')
    await page.getByLabel('Period').selectOption('12')
    await page.waitForURL((url) => url.searchParams.get('months') === '12')
    await page.reload()
    assert.equal(await page.getByLabel('Period').inputValue(), '12')
    await see(page.getByText('No invoice was paid in this period.'), 'no revenue for Globex')
    await page.getByLabel('Filter by client').selectOption({ label: 'Acme Ltd' })
    await see(kpi('Active projects').getByText('1', { exact: true }), 'Acme’s active project')
  })

  await step('past the clients the filter lists, a search box finds the others by name', async () => {
    // Two clients stand in for an agency with more than the filter's 200: the unfiltered list answers as if
    // another page followed; searches reach the server as they are.
    await page.route(/\/api\/v1\/orgs\/[^/]+\/clients\?limit=200$/, async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, json: { ...(await response.json()), next_cursor: 'more' } })
    })
    await page.reload()
    const find = page.getByLabel('Find a client')
    await see(find, 'the client search box')
    await find.fill('glob')
    await page.waitForResponse((r) => r.url().includes('q=glob') && r.status() === 200)
    // The selected client (Acme) stays in the list while it does not match, so the select keeps its value.
    const options = page.getByLabel('Filter by client').locator('option')
    const want = ['All clients', 'Acme Ltd', 'Globex']
    for (let i = 0; i < 50 && JSON.stringify(await options.allTextContents()) !== JSON.stringify(want); i++) {
      await page.waitForTimeout(100)
    }
    assert.deepEqual(await options.allTextContents(), want)
    await page.getByLabel('Filter by client').selectOption({ label: 'Globex' })
    await page.waitForURL((url) => url.searchParams.get('client_id') !== clientId)
    await see(kpi('Active projects').getByText('0', { exact: true }), 'Globex has no active project')
    await page.unroute(/\/api\/v1\/orgs\/[^/]+\/clients\?limit=200$/)
    await find.fill('')
    await page.getByLabel('Filter by client').selectOption({ label: 'Acme Ltd' })
    await see(kpi('Active projects').getByText('1', { exact: true }), 'Acme’s active project')
  })

  await step('an active-projects card links to the filtered project list', async () => {
    await page.getByRole('link', { name: /Active projects/ }).click()
    await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/projects` && url.searchParams.get('status') === 'active'
      && url.searchParams.get('client_id') === clientId)
    await see(page.getByRole('link', { name: 'Website redesign' }), 'the project in the filtered list')
    await page.goBack()
  })

  await step('the dashboard fits a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await page.reload()
    await see(kpi('Active projects').getByText('1', { exact: true }), 'the figures on a phone')
    await assertFitsWidth(page, 'the dashboard')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
