// Browser test of the dark theme: chosen from the account menu, kept across reloads (applied before the
// first paint), following the system when no choice is stored, and free of serious accessibility violations
// (axe's colour-contrast rule included) on the main pages.
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { assertAccessible, call, createOrganization, newPage, ready, see, session, signUp, steps, useBrowser } from './support.mjs'

useBrowser()

let page
before(async () => {
  await ready()
  page = session.page
})

const isDark = (p) => p.evaluate(() => document.documentElement.classList.contains('dark'))

test('the dark theme is chosen, remembered, follows the system, and stays readable', { timeout: 180_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const email = `e2e-dark-${stamp}@example.com`
  const password = `correct horse ${stamp}`
  let orgId
  let projectId

  await step('an owner picks Dark in the account menu', async () => {
    await signUp(page, { name: 'Dora Dark', email, password })
    orgId = await createOrganization(page, `Dark Agency ${stamp}`)
    await call(page, 'POST', `/api/v1/orgs/${orgId}/clients`, { name: 'Night Owl Ltd' })
    projectId = (await call(page, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Moonlight' })).id
    await call(page, 'POST', `/api/v1/orgs/${orgId}/projects/${projectId}/tasks`, { title: 'Dim the lights', priority: 'urgent' })
    assert.equal(await isDark(page), false, 'light by default on a light system')
    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByRole('menuitemradio', { name: 'Dark' }).click()
    assert.equal(await isDark(page), true, 'dark at once')
  })

  await step('the choice survives a reload, applied before the app starts', async () => {
    await page.goto(`/orgs/${orgId}/clients`, { waitUntil: 'commit' })
    await page.waitForFunction(() => document.readyState !== 'loading')
    assert.equal(await isDark(page), true, 'dark as soon as the document is parsed')
    await see(page.getByRole('cell', { name: /Night Owl Ltd/ }), 'the clients list')
  })

  await step('the main pages pass axe in dark', async () => {
    await assertAccessible(page, 'clients, dark')
    await page.goto(`/orgs/${orgId}/projects/${projectId}/board`)
    await see(page.getByRole('region', { name: 'Column To do' }), 'the board')
    await assertAccessible(page, 'board, dark')
    await page.goto(`/orgs/${orgId}/my-work`)
    await see(page.getByRole('heading', { level: 1 }).first(), 'My work')
    await assertAccessible(page, 'my work, dark')
    await page.goto(`/orgs/${orgId}/time?view=grid`)
    await see(page.getByRole('region', { name: 'Week grid' }), 'the week grid')
    await assertAccessible(page, 'timesheet grid, dark')
    await page.goto(`/orgs/${orgId}/settings`)
    await see(page.getByRole('heading', { level: 1 }).first(), 'settings')
    await assertAccessible(page, 'settings, dark')
  })

  await step('with no choice stored, a dark system gives the dark theme; Light overrides it', async () => {
    const other = await newPage({ colorScheme: 'dark' })
    try {
      await other.goto('/sign-in')
      await see(other.getByRole('heading', { name: /Sign in/ }), 'the sign-in page')
      assert.equal(await isDark(other), true, 'dark from the system')
      await assertAccessible(other, 'sign-in, dark')
      await other.getByLabel('Email').fill(email)
      await other.getByLabel('Password').fill(password)
      await other.getByRole('button', { name: 'Sign in' }).click()
      await other.getByRole('button', { name: 'Account menu' }).click()
      await other.getByRole('menuitemradio', { name: 'Light' }).click()
      assert.equal(await isDark(other), false, 'light by choice on a dark system')
    } finally {
      await other.context().close()
    }
  })
})
