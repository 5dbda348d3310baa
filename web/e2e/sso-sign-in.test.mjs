// Browser test of SSO through a real OpenID provider (issue 14). TestBrowser runs mockoidc on loopback and
// hands its issuer and client to this file (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET); it signs in its
// default person, jane.doe@example.com, without a form, and it is also the server's "Google".
// An owner at example.com points the organization's OIDC connection at it, tests the connection in a popup (a
// real round trip), requires SSO; a member with only a password then meets the "Sign in with your
// organization's SSO" page; the owner signs out, signs in again with Continue with SSO and lands in the
// organization, then with Sign in with Google, which links the account (the account page lists both).
// Run it through TestBrowser in cmd/internal/app, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/sso-sign-in.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { call, createOrganization, newPage, ready, see, session, signUp, steps, useBrowser, linkInMail } from './support.mjs'

useBrowser()

const issuer = process.env.OIDC_ISSUER
const clientID = process.env.OIDC_CLIENT_ID
const clientSecret = process.env.OIDC_CLIENT_SECRET
// mockoidc's default person: the identity every round trip signs in.
const ownerEmail = 'jane.doe@example.com'

let owner
let member
before(async () => {
  await ready()
  assert.ok(issuer && clientID && clientSecret, 'TestBrowser passes the test OpenID provider in OIDC_*')
  owner = session.page
  member = await newPage()
})

async function signOut(page) {
  await page.getByRole('button', { name: 'Account menu' }).click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await page.waitForURL('**/sign-in')
}

test('an organization signs in through its OpenID provider, and SSO is required of everyone else', { timeout: 240_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const memberEmail = `member-${stamp}@elsewhere.example`
  const password = `correct horse ${stamp}`
  let orgId

  await step('an owner at example.com with a verified address claims the domain and saves the OIDC connection', async () => {
    await signUp(owner, { name: 'Jane Doe', email: ownerEmail, password })
    orgId = await createOrganization(owner, `Jane Agency ${stamp}`)
    await owner.goto(await linkInMail(owner, ownerEmail, 'Welcome', '/verify-email'))
    await see(owner.getByRole('heading', { name: 'Your email address is verified' }), 'the verified message')
    await call(owner, 'POST', `/api/v1/orgs/${orgId}/security/domains`, { domain: 'example.com' })
    // TestBrowser's DNS server answers the claim's TXT record, as example.com's DNS host would once published.
    const verified = await call(owner, 'POST', `/api/v1/orgs/${orgId}/security/domains/example.com/verify`)
    assert.equal(verified.verified, true)
    await call(owner, 'PUT', `/api/v1/orgs/${orgId}/security/sso`, {
      protocol: 'oidc', preset: 'custom', oidc_issuer: issuer, oidc_client_id: clientID, oidc_client_secret: clientSecret, default_role: 'member',
    })
  })

  await step('Test connection runs a real sign-in in a popup and reports back', async () => {
    await owner.goto(`/orgs/${orgId}/settings/security`)
    const popup = owner.waitForEvent('popup')
    await owner.getByRole('button', { name: 'Test connection' }).click()
    await (await popup).waitForEvent('close', { timeout: 30_000 })
    await see(owner.getByTestId('sso-test-result').getByText(`Your identity provider signed in ${ownerEmail}`), 'the test result')
  })

  await step('the owner requires SSO, now that a sign-in through it worked', async () => {
    const requireSSO = owner.getByRole('switch', { name: 'Require sign-in through your identity provider' })
    await owner.waitForFunction(() => !document.querySelector('[role="switch"]')?.hasAttribute('disabled'), null, { timeout: 10_000 })
    await requireSSO.click()
    await see(owner.getByText('SSO is now required'), 'the confirmation')
  })

  await step('a member with only a password meets the SSO page instead of the organization', async () => {
    await call(owner, 'POST', `/api/v1/orgs/${orgId}/invitations`, { email: memberEmail, role: 'member' })
    const acceptPath = await linkInMail(owner, memberEmail, 'invited you', '/invitations/accept')
    await signUp(member, { name: 'Milo Member', email: memberEmail, password })
    await call(member, 'POST', '/api/v1/invitations/accept', { token: new URL(acceptPath, 'http://x').searchParams.get('token') })
    await member.goto(`/orgs/${orgId}/clients`)
    await see(member.getByRole('heading', { name: "Sign in with your organization's SSO" }), 'the SSO-required page')
    await see(member.getByRole('link', { name: 'Continue with SSO' }), 'the way through the IdP')
  })

  await step('signed out, the owner continues with SSO from the sign-in page and lands in the organization', async () => {
    await signOut(owner)
    await owner.getByLabel('Email', { exact: true }).fill(ownerEmail)
    await owner.getByRole('button', { name: 'Continue with SSO' }).click()
    await owner.waitForURL(new RegExp(`/orgs/${orgId}(/|$)`), { timeout: 30_000 })
    const me = await call(owner, 'GET', '/api/v1/me')
    assert.equal(me.user.email, ownerEmail)
    // The SSO session passes the organization's enforcement like any member's would.
    await call(owner, 'GET', `/api/v1/orgs/${orgId}/clients`)
  })

  await step('Sign in with Google links the same account, and the account page lists both identities', async () => {
    await signOut(owner)
    await owner.getByRole('link', { name: 'Sign in with Google' }).click()
    await owner.waitForURL((url) => !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/api/'), { timeout: 30_000 })
    const me = await call(owner, 'GET', '/api/v1/me')
    assert.equal(me.user.email, ownerEmail, 'Google’s verified address signs in the existing account')
    await owner.goto('/account/security')
    await see(owner.getByText('Linked identities'), 'the Linked identities card')
    await see(owner.getByRole('button', { name: 'Unlink Google' }), 'the linked Google account')
    await see(owner.getByText(`Jane Agency ${stamp}`).first(), 'the SSO organization')
  })
})
