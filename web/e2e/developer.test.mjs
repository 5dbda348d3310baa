// Browser test of /developer (issue 12): a signed-out visitor reads the guide, the signature snippets and the
// full API reference rendered from the server's OpenAPI document; the page asks nothing of any other host
// (the renderer's telemetry, fonts and agent are off), fits a 360 px phone, and a signed-in owner gets the
// ways to their API keys and webhooks.
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/developer.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertFitsWidth, baseURL, createOrganization, see, session, signUp, steps, useBrowser, ready } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

test('the developer page explains the API to a visitor and leads an owner to keys and webhooks', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const foreign = []
  const own = new URL(baseURL).host
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.protocol.startsWith('http') && url.host !== own) foreign.push(r.url())
  })

  await step('a signed-out visitor sees the guide, the snippets and the reference', async () => {
    await page.goto('/developer')
    await see(page.getByRole('heading', { name: 'ClientFlow API', level: 1 }), 'the page title')
    assert.equal(await page.title(), 'API reference · ClientFlow')
    await see(page.getByRole('link', { name: 'Sign in' }), 'the way to sign in, not a redirect')
    await see(page.getByRole('heading', { name: 'Verify webhook signatures' }), 'the signature section')
    // The renderer (Scalar) brings its own landmarks; its document is the main named after the API.
    const reference = page.getByRole('main', { name: /Open API Documentation/ })
    await see(reference.getByRole('heading', { name: 'Rate limits' }), 'the guide rendered from the OpenAPI description')
    await see(reference.getByText('api_key_revoked').first(), 'the error codes table')
    await see(reference.getByRole('heading', { name: 'task.completed' }), 'the webhook events')
    const doc = await page.request.get('/api/v1/openapi.json')
    assert.equal(doc.status(), 200)
    const openapi = await doc.json()
    assert.ok(openapi.webhooks['task.completed'], 'the document carries the webhooks')
  })

  await step('the page fits a 360 px screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    await see(page.getByRole('heading', { name: 'ClientFlow API', level: 1 }), 'the title on a phone')
    await assertFitsWidth(page, 'the developer page')
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  await step('an owner reaches their API keys and webhooks from the page', async () => {
    await signUp(page, { name: 'Devi Docs', email: `docs-${stamp}@example.com`, password: `correct horse ${stamp}` })
    const orgId = await createOrganization(page, `Docs Agency ${stamp}`)
    await page.goto('/developer')
    const nav = page.getByRole('navigation', { name: 'Developer' })
    await see(nav.getByRole('link', { name: 'Webhooks' }), 'the webhooks link')
    await nav.getByRole('link', { name: 'API keys' }).click()
    await page.waitForURL(`**/orgs/${orgId}/api-keys`)
  })

  assert.deepEqual(foreign, [], 'the page requested nothing from another host')
})
