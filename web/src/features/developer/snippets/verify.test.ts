import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
// Written from domain.SignWebhook by the Go test beside it, which fails when it no longer matches the signer.
import fixtureJSON from './webhook_signature.json?raw'
import { handleWebhook, verifySignature, type WebhookRequest } from './verify.mjs'

interface SignatureCase {
  name: string
  header: string
  body: string
  secret: string
  valid: boolean
}

const fixture = JSON.parse(fixtureJSON) as { now: number; cases: SignatureCase[] }
const nowMs = fixture.now * 1000
const utf8 = new TextEncoder()

describe('verifySignature (the Node snippet on /developer)', () => {
  it('has the cases the signer produced, both good and bad', () => {
    expect(fixture.cases.filter((c) => c.valid).length).toBeGreaterThanOrEqual(3)
    expect(fixture.cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(5)
  })

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // The body as a string and as the bytes a server reads must give the same answer.
    expect(verifySignature(c.header, c.body, c.secret, nowMs)).toBe(c.valid)
    expect(verifySignature(c.header, utf8.encode(c.body), c.secret, nowMs)).toBe(c.valid)
  })

  it('refuses a good signature once it is more than five minutes old', () => {
    const good = fixture.cases.find((c) => c.name === 'signed with the secret')!
    expect(verifySignature(good.header, good.body, good.secret, nowMs)).toBe(true)
    expect(verifySignature(good.header, good.body, good.secret, nowMs + 5 * 60_000)).toBe(false)
  })

  it('refuses a missing header', () => {
    const good = fixture.cases[0]!
    expect(verifySignature(undefined, good.body, good.secret, nowMs)).toBe(false)
  })
})

describe('handleWebhook', () => {
  const good = fixture.cases.find((c) => c.name === 'signed with the secret')!

  /** A request as node:http hands it over: headers in lower case, the body in chunks. */
  function request(header: string, body: string): WebhookRequest {
    const bytes = utf8.encode(body)
    return {
      headers: { 'x-clientflow-signature': header, 'content-type': 'application/json' },
      async *[Symbol.asyncIterator]() {
        yield bytes.subarray(0, 10)
        yield bytes.subarray(10)
      },
    }
  }

  function response() {
    const res = { status: 0, body: '' as string | undefined }
    return {
      res,
      writeHead(status: number) {
        res.status = status
        return {
          end(body?: string) {
            res.body = body
          },
        }
      },
    }
  }

  // The handler reads the clock; the fixture's signatures are fixed, so the clock is set to its time.
  beforeEach(() => {
    vi.useFakeTimers({ now: nowMs, toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  async function deliver(header: string, body: string, onEvent: (event: unknown) => void | Promise<void>) {
    const r = response()
    await handleWebhook(request(header, body), r, good.secret, onEvent)
    return r.res
  }

  it('answers 204 and passes the event on for a signed delivery', async () => {
    const events: unknown[] = []
    const res = await deliver(good.header, good.body, (e) => void events.push(e))
    expect(res.status).toBe(204)
    expect(events).toEqual([JSON.parse(good.body)])
  })

  it('answers 400 and passes nothing on for a tampered body', async () => {
    const tampered = fixture.cases.find((c) => c.name === 'tampered body')!
    const events: unknown[] = []
    const res = await deliver(tampered.header, tampered.body, (e) => void events.push(e))
    expect(res.status).toBe(400)
    expect(events).toEqual([])
  })

  it('answers 500 when the event could not be processed, so ClientFlow retries', async () => {
    const res = await deliver(good.header, good.body, () => Promise.reject(new Error('database down')))
    expect(res.status).toBe(500)
  })
})
