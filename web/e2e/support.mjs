// Shared set-up for the browser tests in this folder (not itself a test: the runner only picks up *.test.mjs).
// useBrowser() registers before/after hooks that check BASE_URL, Chromium and that the app answers, launch
// Chromium (Debian's /usr/bin/chromium or CHROMIUM_PATH; nothing is downloaded) and open a page, kept in
// `session`. see/gone/assertReachable are the assertions every journey uses.
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { chromium } from 'playwright-core'

export const baseURL = process.env.BASE_URL
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const timeout = 15_000

/** The browser and the page opened by useBrowser's before hook. */
export const session = { browser: undefined, page: undefined }

let started

/**
 * Resolves once useBrowser's set-up has finished (session.browser and session.page are filled). A test file's
 * own before hook must await it before reading `session`: Node 20 starts root-level before hooks one after
 * another without waiting for the previous one's promise.
 */
export function ready() {
  return started ?? Promise.reject(new Error('useBrowser() was not called'))
}

/**
 * Registers the before/after hooks: before checks the environment, launches Chromium and opens a page in a
 * new context ({ baseURL, 1280×800 viewport, ...contextOptions }); after closes the browser.
 */
export function useBrowser(contextOptions = {}) {
  before(() => (started ??= setUp(contextOptions)))

  after(async () => {
    await started?.catch(() => {})
    await session.browser?.close()
  })
}

async function setUp(contextOptions) {
  assert.ok(baseURL, 'BASE_URL is required, e.g. BASE_URL=http://127.0.0.1:8080 npm run e2e')
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`)
  await assertReachable(new URL('/api/v1/config', baseURL))
  session.browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  session.page = await newPage(contextOptions)
}

/** A page in its own browser context (its own cookies) on session.browser, as a separate person would have. */
export async function newPage(contextOptions = {}) {
  const context = await session.browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, ...contextOptions })
  context.setDefaultTimeout(timeout)
  return context.newPage()
}

/** Fails unless GET `url` answers 2xx: the app is running at BASE_URL. */
export async function assertReachable(url) {
  let response
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000) })
  } catch (error) {
    assert.fail(`The app is not reachable at ${url}: ${error.cause?.message ?? error.message}. Start the API (go run ./cmd/api) and check BASE_URL.`)
  }
  assert.ok(response.ok, `GET ${url} answered ${response.status}; is BASE_URL the ClientFlow app?`)
}

/** Waits until `locator` is visible, failing with `what` and a screenshot of the locator's own page. */
export async function see(locator, what) {
  const page = locator.page()
  try {
    await locator.first().waitFor({ state: 'visible' })
  } catch (error) {
    const shot = join(mkdtempSync(join(tmpdir(), 'clientflow-e2e-')), 'failure.png')
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {})
    assert.fail(`Expected to see ${what} on ${page.url()} (screenshot: ${shot}): ${error.message.split('\n')[0]}`)
  }
}

/** Waits until `locator` has left the page. */
export async function gone(locator, what) {
  try {
    await locator.waitFor({ state: 'detached' })
  } catch {
    assert.fail(`Expected ${what} to be gone from ${session.page.url()}`)
  }
}

/**
 * Returns step(name, fn): a subtest of t that is skipped once an earlier step failed, so a journey stops at
 * its first broken step instead of reporting every later one as failing too.
 */
export function steps(t) {
  let failed = false
  return (name, fn) =>
    t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
      try {
        await fn()
      } catch (error) {
        failed = true
        throw error
      }
    })
}

/** Signs up a new account on page and waits for onboarding. */
export async function signUp(page, { name, email, password }) {
  await page.goto('/sign-up')
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL('**/onboarding')
}

/** Creates an organization from onboarding and returns its ID once its clients page opened. */
export async function createOrganization(page, name) {
  await page.getByLabel('Organization name').fill(name)
  await page.getByRole('button', { name: 'Create organization' }).click()
  await page.waitForURL(/\/orgs\/[0-9a-f-]{36}\/clients$/)
  return new URL(page.url()).pathname.split('/')[2]
}

/** Calls the API as `page`'s signed-in person (same cookies), failing on any non-2xx answer. */
export async function call(page, method, path, data, options = {}) {
  const response = await page.request.fetch(path, { method, data, headers: { Origin: baseURL }, ...options })
  assert.ok(response.ok(), `${method} ${path} answered ${response.status()}: ${await response.text()}`)
  return response.status() === 204 ? undefined : response.json()
}

/** Polls the dev mailbox (read as `page`) until `match` finds an email; the worker sends them. */
export async function waitForMail(page, what, match) {
  for (let i = 0; i < 60; i++) {
    const { data } = await call(page, 'GET', '/api/v1/dev/mailbox')
    const mail = data.find(match)
    if (mail) return mail
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  assert.fail(`No ${what} in the dev mailbox`)
}

/** The path of the first link to `path` in the newest email to `to` whose subject contains `subject`. */
export async function linkInMail(page, to, subject, path) {
  const pattern = new RegExp(`${path.replace(/[/?]/g, '\\$&')}\\?token=[^\\s<>"']+`)
  for (let i = 0; i < 60; i++) {
    const { data } = await call(page, 'GET', '/api/v1/dev/mailbox')
    const mail = data.find((m) => m.to === to && m.subject.includes(subject))
    const match = mail && pattern.exec(mail.text)
    if (match) return match[0]
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  assert.fail(`No "${subject}" email with a ${path} link reached ${to}`)
}

/** Fails when the page scrolls sideways, naming the elements that stick out. */
export async function assertFitsWidth(page, what) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    if (document.documentElement.scrollWidth <= width) return []
    // An element scrolled inside a box that itself fits is fine; name only what widens the page.
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) return true
      }
      return false
    }
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
      .slice(0, 5)
      .map((el) => `${el.outerHTML.slice(0, 100)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`)
  })
  assert.deepEqual(wide, [], `${what} fits ${await page.evaluate(() => document.documentElement.clientWidth)} px without sideways scrolling`)
}

let axeSource

/**
 * Runs axe-core (WCAG 2.x A and AA rules, plus best practices) on `page` as it is now and fails on any
 * critical or serious violation, listing each rule id with the selectors of up to five offending
 * elements. axe is injected from node_modules (nothing is fetched). `options.exclude` lists selectors to
 * leave out, for a third-party widget the app cannot fix; say why where you pass one.
 */
export async function assertAccessible(page, what, options = {}) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate(async (exclude) => {
    const context = exclude.length ? { exclude: exclude.map((selector) => [selector]) } : document
    const result = await window.axe.run(context, { resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1).join(' ').trim()}` : ''}`),
      }))
  }, options.exclude ?? [])
  const report = violations.map((v) => `${v.impact} ${v.id} (${v.help}):\n    ${v.targets.join('\n    ')}`).join('\n  ')
  assert.equal(violations.length, 0, `${what} on ${page.url()} has serious or critical accessibility violations:\n  ${report}`)
}
