import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const FAKE_APPID = 'wx-test-appid'
export const FAKE_SECRET = 'fake-wechat-app-secret'
/** What the fake returns as session_key: tests assert it never leaves the server. */
export const FAKE_SESSION_KEY = 'FAKE+SESSION+KEY+must+never+leave+the+server=='

/** The openid the fake gives the code `user-…`: stable, so the same code is the same WeChat user. */
export function fakeOpenid(code: string): string {
  return `o${createHash('sha256').update(code).digest('base64url').slice(0, 27)}`
}

export interface FakeWechat {
  /** The base URL to configure as WECHAT_API_BASE. */
  url: string
  /** Query strings of the code2Session calls received. */
  calls: URLSearchParams[]
  close(): Promise<void>
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  // WeChat really does send JSON as text/plain.
  res.writeHead(status, { 'content-type': 'text/plain' }).end(JSON.stringify(body))
}

/**
 * A fake WeChat API on 127.0.0.1 (random port). code2Session answers by js_code: `user-…` → an openid,
 * `busy` → errcode -1, `invalid` → 40029, `used` → 40163, `limited` → 45011, `slow` → no answer for 3 s,
 * `garbage` → an HTML page, `http502` → a proxy error, `empty` → {} (neither openid nor errcode).
 */
export async function startFakeWechat(): Promise<FakeWechat> {
  const calls: URLSearchParams[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (url.pathname !== '/sns/jscode2session') return json(res, { errcode: 404, errmsg: 'no such api' }, 404)
    calls.push(url.searchParams)
    if (url.searchParams.get('appid') !== FAKE_APPID || url.searchParams.get('secret') !== FAKE_SECRET) {
      return json(res, { errcode: 40013, errmsg: 'invalid appid' })
    }
    const code = url.searchParams.get('js_code') ?? ''
    switch (code) {
      case 'busy':
        return json(res, { errcode: -1, errmsg: 'system error' })
      case 'invalid':
        return json(res, { errcode: 40029, errmsg: 'invalid code' })
      case 'used':
        return json(res, { errcode: 40163, errmsg: 'code been used' })
      case 'limited':
        return json(res, { errcode: 45011, errmsg: 'api minute-quota reach limit' })
      case 'slow':
        setTimeout(() => json(res, { openid: fakeOpenid(code), session_key: FAKE_SESSION_KEY }), 3000).unref()
        return
      case 'garbage':
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>维护中</body></html>')
      case 'http502':
        return void res.writeHead(502).end('Bad Gateway')
      case 'empty':
        return json(res, {})
      default:
        if (code.startsWith('user-'))
          return json(res, { openid: fakeOpenid(code), session_key: FAKE_SESSION_KEY })
        return json(res, { errcode: 40029, errmsg: 'invalid code' })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Test-app environment pointing WeChat at the fake. */
export function wechatEnv(fake: FakeWechat, timeoutMs = 300): Record<string, string> {
  return {
    WECHAT_API_BASE: fake.url,
    WECHAT_APPID: FAKE_APPID,
    WECHAT_SECRET: FAKE_SECRET,
    WECHAT_TIMEOUT_MS: String(timeoutMs),
  }
}
