// Browser test of the client portal (issue 11) with two people, each in their own browser context (see
// clients.test.mjs for how to run it): staff set up a branded organization with a client, a shared project,
// a shared file (and one not shared), a public and an internal comment and a sent invoice, then invite a
// contact from the client page. The contact accepts through the emailed link and lands in the branded portal
// (brand colour and logo), sees the project, downloads the shared file and the invoice PDF, never sees the
// internal comment or the unshared file, and sends a request: staff find it on the board and move it, and
// the contact sees its new status. The portal's summary fits a 360 px phone. Staff may only preview the
// portal (?preview=), and a contact opening the workspace is sent to the portal.
// It needs the worker (emails): TestBrowser in cmd/internal/app provides it, e.g.
//   CLIENTFLOW_E2E=1 CLIENTFLOW_E2E_ONLY=e2e/portal.test.mjs go test -run TestBrowser ./cmd/internal/app/
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { deflateSync } from 'node:zlib'
import { call, newPage, ready, see, session, steps, useBrowser, waitForMail } from './support.mjs'

useBrowser()

let staff
let contact
before(async () => {
  await ready()
  staff = session.page
  contact = await newPage()
})

/** The path and query of the first link to `path` (e.g. /invitations/accept) in an email's text. */
function linkIn(text, path) {
  const match = new RegExp(`${path.replace(/[/?]/g, '\\$&')}\\?token=[^\\s<>"'&]+`).exec(text)
  assert.ok(match, `no ${path} link in: ${text}`)
  return match[0]
}

/** A small solid-colour PNG (width × height, rgb), built by hand: the logo the organization uploads. */
function png(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes) => {
    let c = 0xffffffff
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([r, g, b], y * (width * 3 + 1) + 1 + x * 3)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A Tiptap paragraph document and its HTML, as the staff comment editor sends them. */
function comment(text, internal) {
  return {
    body_json: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
    body_html: `<p>${text}</p>`,
    internal,
  }
}

/** Clicks `link` and returns the download's bytes and suggested name. */
async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()])
  const path = await file.path()
  return { name: file.suggestedFilename(), bytes: readFileSync(path) }
}

/** "#0f766e" → "rgb(15, 118, 110)", as getComputedStyle reports colours. */
function rgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}

test('a contact joins the branded client portal, gets files and invoices, and follows a request', { timeout: 300_000 }, async (t) => {
  const step = steps(t)
  const stamp = Date.now()
  const password = `correct horse ${stamp}`
  const staffEmail = `portal-staff-${stamp}@example.com`
  const contactEmail = `portal-contact-${stamp}@client.example`
  const orgName = `Portal Agency ${stamp}`
  const brand = '#0f766e'
  const sharedText = `Final artwork, revision 3 (${stamp})`
  const publicComment = `The homepage draft is ready for your review ${stamp}`
  const internalComment = `Internal: client is slow to pay, keep it short ${stamp}`
  const requestTitle = `Please add a FAQ page ${stamp}`
  let orgId
  let clientId
  let project
  let task
  let portalPath

  await step('staff sign up, verify the address and start an organization (trial: Professional)', async () => {
    await call(staff, 'POST', '/api/v1/auth/sign-up', { name: 'Sam Staff', email: staffEmail, password })
    // Only a verified address may invite: the welcome email carries the link.
    const welcome = await waitForMail(staff, `welcome email to ${staffEmail}`, (m) => m.to === staffEmail && /verify-email\?token=/.test(m.text))
    const token = decodeURIComponent(/verify-email\?token=([^\s<>"'&]+)/.exec(welcome.text)[1])
    await call(staff, 'POST', '/api/v1/auth/verify-email', { token })
    const org = await call(staff, 'POST', '/api/v1/orgs', { name: orgName })
    orgId = org.id
    portalPath = `/client-portal/${orgId}`
  })

  await step('staff set the brand colour and upload a logo', async () => {
    await call(staff, 'PATCH', `/api/v1/orgs/${orgId}/settings`, { brand_color: brand })
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/settings/logo`, undefined, {
      multipart: { file: { name: 'logo.png', mimeType: 'image/png', buffer: png(64, 32, [15, 118, 110]) } },
    })
    const branding = await call(staff, 'GET', `/api/v1/orgs/${orgId}/branding`)
    assert.equal(branding.custom_branding, true, 'the trial includes custom branding')
    assert.ok(branding.logo_url, 'the logo has a public URL')
  })

  await step('staff create a client with the portal on, a shared project, files, comments and a sent invoice', async () => {
    const client = await call(staff, 'POST', `/api/v1/orgs/${orgId}/clients`, { name: 'Acme Ltd', email: `ap-${stamp}@acme.example` })
    clientId = client.id
    const enabled = await call(staff, 'PATCH', `/api/v1/orgs/${orgId}/clients/${clientId}`, { portal_enabled: true })
    assert.equal(enabled.portal_enabled, true, 'the portal is on for the client')
    project = await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'Website redesign', client_id: clientId })
    assert.equal(project.portal_shared, true, 'a new project is shared with the portal by default')
    task = await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/tasks`, { title: 'Homepage draft' })
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/tasks/${task.id}/comments`, comment(publicComment, false))
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/tasks/${task.id}/comments`, comment(internalComment, true))

    // Fields go before the file part (the upload streams the file).
    const shared = await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/files`, undefined, {
      multipart: { shared_with_client: 'true', file: { name: 'artwork.txt', mimeType: 'text/plain', buffer: Buffer.from(sharedText) } },
    })
    assert.equal(shared.shared_with_client, true, 'the file is shared with the client')
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/files`, undefined, {
      multipart: { file: { name: 'internal-budget.txt', mimeType: 'text/plain', buffer: Buffer.from('margin 40 %') } },
    })

    const today = new Date().toISOString().slice(0, 10)
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
    const invoice = await call(staff, 'POST', `/api/v1/orgs/${orgId}/invoices`, {
      client_id: clientId,
      project_id: project.id,
      currency: 'EUR',
      issue_date: today,
      due_date: due,
      lines: [{ description: 'Design sprint', quantity_milli: 2000, unit_price: 45000 }],
    })
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/invoices/${invoice.id}/send`)
    // A draft never reaches the portal.
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/invoices`, {
      client_id: clientId,
      currency: 'EUR',
      issue_date: today,
      due_date: due,
      lines: [{ description: 'Not sent yet', quantity_milli: 1000, unit_price: 100 }],
    })
  })

  let acceptPath
  await step('staff invite a contact from the client page', async () => {
    await staff.goto(`/orgs/${orgId}/clients/${clientId}`)
    const form = staff.getByRole('form', { name: 'Invite a contact' })
    await see(form, 'the invite-a-contact form on the client page')
    await form.getByLabel('Invite contact').fill(contactEmail)
    await form.getByRole('button', { name: 'Send invitation' }).click()
    await see(staff.getByText(contactEmail), 'the pending contact invitation')
    const mail = await waitForMail(staff, `invitation to ${contactEmail}`, (m) => m.to === contactEmail && /invitations\/accept\?token=/.test(m.text))
    acceptPath = linkIn(mail.text, '/invitations/accept')
  })

  await step('the contact signs up through the link, accepts and lands in the branded portal', async () => {
    await contact.goto(acceptPath)
    await see(contact.getByText(orgName), 'the organization in the invitation preview')
    await contact.getByRole('link', { name: 'Create an account to accept' }).click()
    await contact.waitForURL('**/sign-up?**')
    await contact.getByLabel('Name', { exact: true }).fill('Cleo Contact')
    await contact.getByLabel('Password', { exact: true }).fill(password)
    await contact.getByRole('button', { name: 'Create account' }).click()
    await contact.waitForURL('**/invitations/accept?**')
    await contact.getByRole('button', { name: 'Accept invitation' }).click()
    await contact.waitForURL((url) => url.pathname === portalPath)

    await see(contact.getByRole('heading', { name: 'Acme Ltd' }), 'the client’s summary')
    const logo = contact.getByRole('img', { name: `${orgName} logo` })
    await see(logo, 'the organization’s logo in the portal header')
    await contact.waitForFunction((img) => img.complete && img.naturalWidth === 64, await logo.elementHandle())
    const banner = contact.getByRole('banner')
    const stripe = await banner.evaluate((el) => getComputedStyle(el).borderTopColor)
    assert.equal(stripe, rgb(brand), 'the header carries the brand colour')
    const cssBrand = await contact.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim())
    assert.equal(cssBrand.toLowerCase(), brand, 'the --brand variable is the organization’s colour')
    const shot = join(mkdtempSync(join(tmpdir(), 'clientflow-e2e-')), 'portal.png')
    await contact.screenshot({ path: shot, fullPage: true })
    assert.ok(statSync(shot).size > 0, 'the screenshot was written')
    t.diagnostic(`portal screenshot: ${shot}`)
  })

  await step('the contact sees the shared project and downloads the shared file, not the unshared one', async () => {
    await see(contact.getByRole('link', { name: 'Website redesign' }), 'the shared project on the summary')
    await contact.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Files' }).click()
    await see(contact.getByRole('heading', { name: 'Files' }), 'the Files page')
    const link = contact.getByRole('link', { name: 'Download artwork.txt' })
    await see(link, 'the shared file')
    assert.equal(await contact.getByText('internal-budget.txt').count(), 0, 'the unshared file is not listed')
    const file = await download(contact, link)
    assert.equal(file.bytes.toString(), sharedText, 'the downloaded file is the shared one')
  })

  await step('the contact downloads the sent invoice as a PDF; the draft is not listed', async () => {
    await contact.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Invoices' }).click()
    const list = contact.getByRole('list', { name: 'Invoices' })
    await see(list.getByText('Awaiting payment'), 'the sent invoice with its status')
    assert.equal(await list.getByRole('listitem').count(), 1, 'only the sent invoice is listed, not the draft')
    await see(list.getByText(/900\.00/), 'the invoice total')
    const pdf = await download(contact, list.getByRole('link', { name: /^Download invoice .* \(PDF\)$/ }))
    assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-', 'the download is a PDF')
  })

  await step('the contact reads the task’s public comment, never the internal one', async () => {
    await contact.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Projects' }).click()
    await contact.getByRole('link', { name: 'Website redesign' }).click()
    await see(contact.getByRole('heading', { name: 'Milestones' }), 'the project’s milestones')
    await contact.getByRole('list', { name: 'Tasks' }).getByRole('link', { name: /Homepage draft/ }).click()
    await see(contact.getByText(publicComment), 'the public comment')
    assert.equal(await contact.getByText(internalComment).count(), 0, 'the internal comment is not shown')
    const html = await contact.content()
    assert.ok(!html.includes(internalComment), 'the internal comment is nowhere in the page')

    // The project lets contacts comment (the default): the reply joins the thread.
    const reply = `Looks great, ship it ${stamp}`
    await contact.getByLabel('Add a comment').fill(reply)
    await contact.getByRole('button', { name: 'Send comment' }).click()
    await see(contact.getByRole('list', { name: 'Comments' }).getByText(reply), 'the contact’s comment in the thread')
    assert.equal(await contact.getByLabel('Add a comment').inputValue(), '', 'the comment box is cleared')
  })

  let request
  await step('the contact sends a request with an attachment', async () => {
    await contact.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Requests' }).click()
    await see(contact.getByText('No requests yet'), 'the empty requests list')
    await contact.getByRole('button', { name: 'New request' }).click()
    const dialog = contact.getByRole('dialog', { name: 'New request' })
    await see(dialog, 'the New request dialog')
    assert.equal(await dialog.getByLabel('Project').inputValue(), project.id, 'the only shared project is chosen')
    await dialog.getByLabel('Title').fill(requestTitle)
    await dialog.getByLabel('Description').fill('Ten common questions, answers to follow.')
    await dialog.getByLabel('Attachments').setInputFiles({ name: 'questions.txt', mimeType: 'text/plain', buffer: Buffer.from('1. Prices?') })
    const created = contact.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/portal/requests') && r.request().method() === 'POST')
    await dialog.getByRole('button', { name: 'Send request' }).click()
    request = await (await created).json()
    await see(contact.getByText('Request sent to the team'), 'the confirmation')
    const row = contact.getByRole('list', { name: 'My requests' }).getByRole('listitem').filter({ hasText: requestTitle })
    await see(row.getByText('To do'), 'the request, received in the intake column')
    await contact.evaluate(() => (window.__sameDocument = true))
  })

  await step('staff find the request on the board and move it to In progress', async () => {
    await staff.goto(`/orgs/${orgId}/projects/${project.id}/board`)
    const intake = staff.getByRole('region', { name: 'Column To do' })
    await see(intake.getByRole('button', { name: new RegExp(requestTitle) }), 'the request on the staff board')
    const board = await call(staff, 'GET', `/api/v1/orgs/${orgId}/projects/${project.id}/board`)
    const inProgress = board.columns.find((c) => c.name === 'In progress')
    await call(staff, 'POST', `/api/v1/orgs/${orgId}/projects/${project.id}/tasks/${request.id}/move`, { column_id: inProgress.id })
    await see(staff.getByRole('region', { name: 'Column In progress' }).getByRole('button', { name: new RegExp(requestTitle) }), 'the request moved')
  })

  await step('the contact sees the request’s new status without reloading', async () => {
    // The move notifies the requester; the portal refetches its data when the unread count goes up.
    const row = contact.getByRole('list', { name: 'My requests' }).getByRole('listitem').filter({ hasText: requestTitle })
    await see(row.getByText('In progress'), 'the request in progress')
    assert.ok(await contact.evaluate(() => window.__sameDocument === true), 'the contact’s page was not reloaded')

    // The bell in the portal's header counts it, and its inbox stays inside the portal.
    await contact.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ }).click()
    await contact.getByRole('menuitem', { name: 'See all notifications' }).click()
    await contact.waitForURL((url) => url.pathname === `${portalPath}/notifications`)
    await see(contact.getByRole('heading', { name: 'Notifications' }), 'the contact’s inbox in the portal')
    await see(contact.getByRole('navigation', { name: 'Portal' }), 'the portal navigation around the inbox')
  })

  await step('a contact opening the workspace is sent to the portal; staff only preview it', async () => {
    await contact.goto(`/orgs/${orgId}/clients`)
    await contact.waitForURL((url) => url.pathname === portalPath)

    await staff.goto(portalPath)
    await staff.waitForURL((url) => url.pathname.startsWith(`/orgs/${orgId}`))
    await staff.goto(`${portalPath}?preview=${clientId}`)
    await see(staff.getByText('Previewing the portal as Acme Ltd'), 'the preview banner')
    await see(staff.getByRole('link', { name: 'Website redesign' }), 'the client’s project in the preview')
    await staff.getByRole('link', { name: 'Exit preview' }).click()
    await staff.waitForURL((url) => url.pathname === `/orgs/${orgId}/clients/${clientId}`)
  })

  await step('on a 360 px phone the portal summary does not scroll sideways', async () => {
    await contact.setViewportSize({ width: 360, height: 740 })
    await contact.goto(portalPath)
    await see(contact.getByRole('link', { name: 'Website redesign' }), 'the summary on a phone')
    await see(contact.getByRole('img', { name: `${orgName} logo` }), 'the logo on a phone')
    const width = await contact.evaluate(() => document.scrollingElement.scrollWidth)
    assert.ok(width <= 360, `the summary is ${width} px wide on a 360 px screen`)
  })
})
