// Browser test of outbound webhooks (issue 12): an owner adds an endpoint pointing at a receiver this test
// runs on 127.0.0.1 (the stack allows loopback targets, as `make run` does), reads the signing secret once,
// sends a test that fails inline (the receiver answers 500), then, with the receiver answering 200, replays
// the failed delivery from the log and sees it delivered. Every request the receiver got is checked with
// the /developer page's Node snippet against the secret the page showed. The page also fits a 360 px phone.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/webhooks.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { after, before, test } from 'node:test'
import { TOLERANCE_SECONDS, verifySignature } from '../src/features/developer/snippets/verify.mjs'
import { assertFitsWidth, createOrganization, see, session, signUp, steps, useBrowser, ready } from './support.mjs'

useBrowser()

/** A webhook receiver: remembers every request and answers `status` (500 until told otherwise). */
const receiver = { status: 500, requests: [], server: undefined, url: '' }

let page
before(async () => {
  await ready()
  page = session.page
  receiver.server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      receiver.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(receiver.status, { 'Content-Type': 'text/plain' })
      res.end(receiver.status === 200 ? 'thanks' : 'receiver is down')
    })
  })
  await new Promise((resolve) => receiver.server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${receiver.server.address().port}/hooks/clientflow`
})

after(() => receiver.server?.close())

/**
 * Checks a real delivery with the snippet /developer documents (verify.mjs, copied by receivers as it is):
 * it verifies, and the same request with a tampered body or replayed later than the tolerance does not.
 */
function verify(request, secret) {
  const header = request.headers['x-clientflow-signature']
  assert.ok(verifySignature(header, request.body, secret), `the documented snippet verifies the delivery: ${header}`)
  assert.equal(verifySignature(header, request.body.replace('"type"', '"tYpe"'), secret), false, 'a tampered body fails')
  assert.equal(verifySignature(header, request.body, secret, Date.now() + (TOLERANCE_SECONDS + 60) * 1000), false, 'an old timestamp fails')
  assert.equal(verifySignature(header, request.body, `${secret}x`), false, 'another secret fails')
}

/** Waits until the receiver has seen n requests. */
async function received(n) {
  const deadline = Date.now() + 20_000
  while (receiver.requests.length < n) {
    if (Date.now() > deadline) assert.fail(`the receiver got ${receiver.requests.length} requests, want ${n}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

test('an owner adds an endpoint, a failed test is replayed from the log and arrives signed', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  let orgId
  let secret

  await step('sign up and create an organization (trial: Professional, which has API access)', async () => {
    await signUp(page, { name: 'Wanda Webhooks', email: `hooks-${stamp}@example.com`, password: `correct horse ${stamp}` })
    orgId = await createOrganization(page, `Hooks Agency ${stamp}`)
  })

  await step('add an endpoint pointing at the receiver and read its secret once', async () => {
    await page.goto(`/orgs/${orgId}/webhooks`)
    await see(page.getByRole('heading', { name: 'No webhook endpoints yet' }), 'the empty state')
    await page.getByRole('button', { name: 'Add your first endpoint' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add webhook endpoint' })
    await see(dialog, 'the create dialog')
    await dialog.getByRole('button', { name: 'Add endpoint' }).click()
    await see(dialog.getByText('Choose at least one event'), 'the events are required')
    await dialog.getByLabel('Endpoint URL').fill(receiver.url)
    await dialog.getByLabel('Description').fill('Local receiver')
    await dialog.getByLabel('All tasks events').check()
    await dialog.getByLabel('invoice.paid').check()
    await dialog.getByRole('button', { name: 'Add endpoint' }).click()
    const shown = page.getByTestId('webhook-secret')
    await see(shown, 'the signing secret')
    await see(page.getByText('you will not see it again'), 'the shown-once warning')
    secret = await shown.inputValue()
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/)
    await page.getByRole('button', { name: 'Done' }).click()
    const row = page.getByTestId('webhook-endpoint-row').filter({ hasText: receiver.url })
    await see(row, 'the endpoint in the list')
    await see(row.getByText('4 events'), 'the events count')
    await see(row.getByText('Enabled', { exact: true }), 'the enabled badge')
    assert.equal(await page.getByText(secret).count(), 0, 'the list never shows the secret')
  })

  await step('send a test: the receiver answers 500 and the page says so inline', async () => {
    await page.getByRole('link', { name: receiver.url }).click()
    await see(page.getByRole('heading', { name: receiver.url }), 'the endpoint page')
    await page.getByRole('button', { name: 'Send test' }).click()
    const result = page.getByTestId('webhook-test-result')
    await see(result.getByText('The test failed.'), 'the failed test')
    await see(result.getByTestId('webhook-test-status-code').getByText('500'), 'the status code')
    await see(result.getByText('receiver is down'), 'the response excerpt')
    await received(1)
    const ping = receiver.requests[0]
    verify(ping, secret)
    assert.equal(ping.headers['x-clientflow-event'], 'ping')
    assert.equal(JSON.parse(ping.body).type, 'ping')
  })

  await step('the log shows the failed ping; a row opens to its tries and request body', async () => {
    const row = page.getByTestId('delivery-row').filter({ hasText: 'ping' })
    await see(row, 'the ping in the delivery log')
    await see(row.getByText('Failed', { exact: true }), 'its failed status')
    await row.getByRole('button', { name: 'ping: tries and request body' }).click()
    await see(page.getByText('Request body'), 'the request body')
    await see(page.getByText(/#1 · .* · HTTP 500/), 'the first try')
  })

  await step('with the receiver up, replay the failed delivery and see it delivered', async () => {
    receiver.status = 200
    const row = page.getByTestId('delivery-row').filter({ hasText: 'ping' }).first()
    await row.getByRole('button', { name: 'Replay ping delivery' }).click()
    await see(page.getByTestId('delivery-row').and(page.locator('[data-status="delivered"]')), 'the replay, delivered')
    await received(2)
    const [first, replay] = receiver.requests
    verify(replay, secret)
    assert.equal(JSON.parse(replay.body).id, JSON.parse(first.body).id, 'a replay keeps the event id')
    assert.notEqual(replay.headers['x-clientflow-delivery'], first.headers['x-clientflow-delivery'], 'but is a new delivery')
  })

  await step('filter the log by status', async () => {
    await page.getByLabel('Status').selectOption('failed')
    await see(page.getByTestId('delivery-row').and(page.locator('[data-status="failed"]')), 'the failed delivery')
    assert.equal(await page.locator('[data-testid="delivery-row"][data-status="delivered"]').count(), 0)
    await page.getByLabel('Status').selectOption('')
  })

  await step('the endpoint page fits a 360 px screen (the log scrolls inside its own box)', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await see(page.getByRole('region', { name: 'Deliveries' }), 'the log')
    // The replay's toast is usually still up: it must fit too.
    await assertFitsWidth(page, 'the endpoint page')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})
