// Receives ClientFlow webhooks in Node (18 or later, no dependencies): checks the X-ClientFlow-Signature
// of each request before trusting its body. Save as verify.mjs and mount the handler:
//
//   import { createServer } from 'node:http'
//   import { handleWebhook } from './verify.mjs'
//
//   const secret = process.env.CLIENTFLOW_WEBHOOK_SECRET // the endpoint's whsec_… secret
//   createServer((req, res) =>
//     handleWebhook(req, res, secret, async (event) => {
//       console.log(event.type, event.id) // store or queue the event, skipping ids already seen
//     }),
//   ).listen(3000)
import { createHmac, timingSafeEqual } from 'node:crypto'

/** How far a signature's timestamp may be from now: older requests are refused, so a captured one cannot be replayed. */
export const TOLERANCE_SECONDS = 5 * 60

/**
 * Checks the X-ClientFlow-Signature header ("t=<unix>,v1=<hex>[,v1=<hex>]") against the raw request body
 * and the endpoint's secret. One v1 must equal the hex HMAC-SHA256 of "<t>.<body>" keyed with the whole
 * secret string; while a rotated secret is in its grace period there are two v1 values.
 *
 * @param {string | undefined} header the X-ClientFlow-Signature header
 * @param {Buffer | string} rawBody the body exactly as received, before any JSON parsing
 * @param {string} secret the endpoint's signing secret (whsec_…)
 * @param {number} [now] the current time in milliseconds
 * @returns {boolean}
 */
export function verifySignature(header, rawBody, secret, now = Date.now()) {
  let timestamp = ''
  const signatures = []
  for (const part of (header ?? '').split(',')) {
    const [key, value = ''] = part.trim().split('=', 2)
    if (key === 't') timestamp = value
    else if (key === 'v1') signatures.push(value)
  }
  if (!/^\d+$/.test(timestamp) || signatures.length === 0) return false
  if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest()
  return signatures.some((signature) => {
    const got = Buffer.from(signature, 'hex')
    return got.length === expected.length && timingSafeEqual(got, expected)
  })
}

/**
 * Handles one delivery on a node:http server: verifies it, passes the event ({id, type, created_at,
 * organization_id, data}) to onEvent, and answers 204, or 500 when onEvent throws so ClientFlow retries.
 * onEvent should store or queue the event and return quickly: ClientFlow waits 10 seconds for the answer.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} secret the endpoint's signing secret (whsec_…)
 * @param {(event: any) => Promise<void> | void} onEvent
 */
export async function handleWebhook(req, res, secret, onEvent) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  const body = Buffer.concat(chunks)
  if (!verifySignature(req.headers['x-clientflow-signature'], body, secret)) {
    res.writeHead(400).end('invalid signature')
    return
  }
  let event
  try {
    event = JSON.parse(body.toString('utf8'))
  } catch {
    res.writeHead(400).end('malformed event')
    return
  }
  try {
    await onEvent(event)
  } catch {
    res.writeHead(500).end('not processed')
    return
  }
  res.writeHead(204).end()
}
