import { isMiniappPage, PAGES, pageUrl } from '@mq/shared'
import { messagePage } from './wechat-message'

interface AppConfig {
  pages: string[]
  subPackages: { root: string; pages: string[] }[]
}

/**
 * The mini-app's app config as Taro reads it at build time (its `pages` and `subPackages` become
 * app.json's); `defineAppConfig` is Taro's identity helper.
 */
function miniappConfig(): AppConfig {
  const global = globalThis as { defineAppConfig?: (config: AppConfig) => AppConfig }
  global.defineAppConfig = (config) => config
  try {
    return (jest.requireActual('../../../miniapp/src/app.config') as { default: AppConfig }).default
  } finally {
    delete global.defineAppConfig
  }
}

/** Every page of the app config, as a full path (`staff/pages/request/index`). */
function miniappPages(): Set<string> {
  const config = miniappConfig()
  return new Set([
    ...config.pages,
    ...config.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
  ])
}

/** The page part of a path with a query, without a leading slash. */
const pageOf = (path: string) => path.replace(/^\//, '').split('?')[0]

describe('mini-app pages the server names', () => {
  const ticketId = '5a4c2a6e-2f1e-4c55-9d0e-6a2b7f1c9e11'
  /** Every path the server can put into a message or a link. */
  const emitted = [
    messagePage('resident', ticketId),
    messagePage('resident', null),
    messagePage('staff', ticketId),
    messagePage('staff', null),
    // The QR URL's redirect for browsers (web.controller.ts).
    pageUrl(PAGES.resident.scan, { token: 'pTji6YzZ2FpUpDFX' }),
  ]

  it('opens the resident’s page of the request for residents, the handling page for staff', () => {
    expect(messagePage('resident', ticketId)).toBe(`pages/detail/index?id=${ticketId}`)
    expect(messagePage('staff', ticketId)).toBe(`staff/pages/request/index?id=${ticketId}`)
    expect(messagePage('resident', null)).toBe('pages/mine/index')
    expect(messagePage('staff', null)).toBe('staff/pages/notifications/index')
    // WeChat wants a message's page without a leading slash.
    for (const path of emitted.slice(0, 4)) expect(path.startsWith('/')).toBe(false)
  })

  it('names only pages of the mini-app’s app config (so of its app.json)', () => {
    const pages = miniappPages()
    expect(pages.size).toBeGreaterThanOrEqual(20)
    expect(pages.has('pages/request/index')).toBe(false)
    for (const path of emitted) {
      expect(isMiniappPage(pageOf(path))).toBe(true)
      expect([...pages]).toContain(pageOf(path))
    }
  })
})
