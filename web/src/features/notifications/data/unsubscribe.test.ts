import { afterEach, describe, expect, it, vi } from 'vitest'

const calls: string[] = []
let hang = false
vi.mock('@/api/client', () => ({
  api: {
    GET: vi.fn(async (_path: string, init: { params: { path: { org_id: string } } }) => {
      const org = init.params.path.org_id
      calls.push(`GET ${org}`)
      if (hang) await new Promise(() => {})
      return { data: { data: [{ id: `${org}-mine`, endpoint: 'https://push.example.com/me' }, { id: `${org}-other`, endpoint: 'https://push.example.com/phone' }] } }
    }),
    DELETE: vi.fn(async (_path: string, init: { params: { path: { org_id: string; subscription_id: string } } }) => {
      calls.push(`DELETE ${init.params.path.subscription_id}`)
      return {}
    }),
  },
  unwrap: vi.fn(),
}))

const { unsubscribeThisBrowser } = await import('./push')

function fakeBrowser() {
  const unsubscribe = vi.fn(async () => true)
  const subscription = { endpoint: 'https://push.example.com/me', unsubscribe }
  vi.stubGlobal('navigator', {
    serviceWorker: { getRegistration: async () => ({ pushManager: { getSubscription: async () => subscription } }) },
  })
  return unsubscribe
}

afterEach(() => {
  vi.unstubAllGlobals()
  calls.length = 0
  hang = false
})

describe('unsubscribeThisBrowser', () => {
  it("deletes this browser's subscription in every organization, then unsubscribes the browser", async () => {
    const unsubscribe = fakeBrowser()
    await unsubscribeThisBrowser(['a', 'b'])
    expect([...calls].sort()).toEqual(['DELETE a-mine', 'DELETE b-mine', 'GET a', 'GET b'])
    expect(unsubscribe).toHaveBeenCalledOnce()
  })

  it('gives up after the timeout when the server does not answer', async () => {
    fakeBrowser()
    hang = true
    const started = Date.now()
    await unsubscribeThisBrowser(['a'], 50)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('does nothing without service workers', async () => {
    vi.stubGlobal('navigator', {})
    await unsubscribeThisBrowser(['a'])
    expect(calls).toEqual([])
  })
})
