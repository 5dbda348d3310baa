// Browser test of invoicing against a running app: time logged in the timesheet becomes an invoice, which is
// sent (the client gets a link) and paid.
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
// Chromium comes from Debian (/usr/bin/chromium) or CHROMIUM_PATH; nothing is downloaded.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { gone, newPage, ready, see, session, useBrowser, createOrganization, signUp, steps } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

/** POSTs JSON with the page's session and returns the parsed answer (the set-up screens are tested elsewhere). */
async function post(path, body) {
  const [status, json] = await page.evaluate(
    async ([path, body]) => {
      const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      return [res.status, await res.json()]
    },
    [path, body],
  )
  assert.equal(status, 201, `POST ${path}: ${JSON.stringify(json)}`)
  return json
}

test('logged time becomes an invoice that is sent and paid', { timeout: 180_000 }, async (t) => {
  const step = steps(t)

  const stamp = Date.now()
  let orgId
  let clientLink

  await step('sign up, create an organization, a client and a project at 120.00 an hour', async () => {
    await signUp(page, { name: 'Ivy Invoicer', email: `e2e-invoice-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Invoice Agency ${stamp}`)
    const client = await post(`/api/v1/orgs/${orgId}/clients`, { name: 'Acme Ltd', email: `ap-${stamp}@acme.example` })
    await post(`/api/v1/orgs/${orgId}/projects`, { name: 'Brand refresh', client_id: client.id, hourly_rate: 12000 })
  })

  await step('log an hour and a half in the timesheet', async () => {
    await page.goto(`/orgs/${orgId}/time`)
    await page.getByRole('button', { name: 'Log time' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Log time' })
    await see(dialog, 'the Log time dialog')
    await dialog.getByLabel('Project').selectOption({ label: 'Brand refresh' })
    await dialog.getByLabel('Hours').fill('1')
    await dialog.getByLabel('Minutes').fill('30')
    await dialog.getByLabel('Note').fill('Logo sketches')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await gone(dialog, 'the Log time dialog')
    await see(page.getByText('Logo sketches'), 'the logged entry')
  })

  await step('create an invoice from that time', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click()
    await see(page.getByRole('heading', { name: 'Invoices' }), 'the Invoices heading')
    await page.getByRole('button', { name: 'Create from time' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create invoice from time' })
    await dialog.getByLabel('Project').selectOption({ label: 'Brand refresh' })
    await see(dialog.getByText(/1 entry, 1\.5 h at .*120\.00 per hour will be billed/), 'the unbilled-time preview')
    await dialog.getByRole('button', { name: 'Create draft' }).click()
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/)
    await see(page.getByRole('heading', { name: 'Invoice 1' }), 'the new invoice')
    await see(page.getByTestId('invoice-status').getByText('Draft'), 'the draft status')
    await see(page.getByTestId('total-total').getByText(/180\.00/), 'the total of 1.5 h at 120.00')
    await see(page.getByTitle('Invoice 1 PDF'), 'the PDF preview')
  })

  await step('send it: the client gets a link that shows the invoice without signing in', async () => {
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    let confirm = page.getByRole('alertdialog', { name: 'Send invoice 1?' })
    await see(confirm.getByTestId('send-amount').getByText(/180\.00/), 'the amount in the send confirmation')
    await see(confirm.getByTestId('send-recipient'), 'the recipient in the send confirmation')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await gone(confirm, 'the send confirmation')
    await see(page.getByTestId('invoice-status').getByText('Draft'), 'the invoice still a draft after Cancel')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    confirm = page.getByRole('alertdialog', { name: 'Send invoice 1?' })
    await confirm.getByRole('button', { name: 'Send invoice' }).click()
    await see(page.getByTestId('invoice-status').getByText('Sent'), 'the sent status')
    clientLink = await page.getByTestId('client-link').textContent()
    assert.match(clientLink, /\/client-portal\/invoices\//)
    const stranger = await newPage()
    await stranger.goto(new URL(clientLink).pathname)
    await stranger.getByRole('heading', { name: 'Invoice 1' }).waitFor()
    await stranger.getByText(`Invoice Agency ${stamp}`).first().waitFor()
    await stranger.context().close()
  })

  await step('record the payment: the invoice is paid', async () => {
    await page.getByRole('button', { name: 'Record payment' }).click()
    const dialog = page.getByRole('dialog', { name: 'Record a payment' })
    await see(dialog, 'the payment dialog')
    await dialog.getByRole('button', { name: 'Record payment' }).click()
    await gone(dialog, 'the payment dialog')
    await see(page.getByTestId('invoice-status').getByText('Paid'), 'the paid status')
    await page.getByRole('link', { name: 'Invoices' }).first().click()
    await see(page.getByRole('row').filter({ hasText: 'Invoice 1' }).getByText('Paid'), 'the paid invoice in the list')
  })
})
