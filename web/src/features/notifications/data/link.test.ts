import { describe, expect, it } from 'vitest'
import { notificationPath } from './link'

const origin = 'https://app.example'

describe('notificationPath', () => {
  it('opens paths inside the app', () => {
    expect(notificationPath('/orgs/1/projects/2/tasks/3', origin)).toBe('/orgs/1/projects/2/tasks/3')
    expect(notificationPath('https://app.example/orgs/1/invoices/4?x=1#top', origin)).toBe('/orgs/1/invoices/4?x=1#top')
  })

  it('refuses links that leave the app', () => {
    for (const link of ['https://evil.example/orgs/1', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'not a url', '', undefined]) {
      expect(notificationPath(link, origin)).toBeNull()
    }
  })
})
