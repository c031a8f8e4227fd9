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

/** A subscribe/send request the fake received, and what it answered. */
export interface FakeSend {
  touser: string
  template_id: string
  page: string
  data: Record<string, { value: string }>
  miniprogram_state?: string
  /** The access token it came with. */
  token: string
  answer: FakeSendReply
  /** Date.now() when it arrived. */
  receivedAt: number
}

/** How the fake answers one subscribe/send: a WeChat errcode (0: accepted), or a bare HTTP status. */
export type FakeSendReply = { errcode: number } | { http: number }

export interface FakeWechat {
  /** The base URL to configure as WECHAT_API_BASE. */
  url: string
  /** Query strings of the code2Session calls received. */
  calls: URLSearchParams[]
  /** /cgi-bin/token requests received. */
  tokenCalls: number
  /** Every subscribe/send received, in order, with the answer given. */
  sends: FakeSend[]
  /** The sends WeChat took (errcode 0). */
  delivered(): FakeSend[]
  /** The next subscribe/send answers, in order; after them every send is taken (errcode 0). */
  script(...replies: FakeSendReply[]): void
  /** Every access token issued so far stops working, answered with this errcode (40001 invalid, 42001 expired). */
  expireTokens(errcode: 40001 | 42001): void
  close(): Promise<void>
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  // WeChat really does send JSON as text/plain.
  res.writeHead(status, { 'content-type': 'text/plain' }).end(JSON.stringify(body))
}

/**
 * A fake WeChat API on 127.0.0.1 (random port). /cgi-bin/token issues `fake-token-N` (2 h);
 * /cgi-bin/message/subscribe/send takes a message with a good token (errcode 0), answers 40001 to an
 * unknown token, or what `script()` and `expireTokens()` say. code2Session answers by js_code: `user-…` → an openid,
 * `busy` → errcode -1, `invalid` → 40029, `used` → 40163, `limited` → 45011, `slow` → no answer for 3 s,
 * `garbage` → an HTML page, `http502` → a proxy error, `empty` → {} (neither openid nor errcode).
 */
export async function startFakeWechat(): Promise<FakeWechat> {
  const calls: URLSearchParams[] = []
  const sends: FakeSend[] = []
  const scripted: FakeSendReply[] = []
  /** Issued access tokens: 0 while good, else the errcode they now answer with. */
  const tokens = new Map<string, number>()
  let tokenCalls = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (url.pathname === '/cgi-bin/token') {
      tokenCalls++
      const q = url.searchParams
      if (
        q.get('grant_type') !== 'client_credential' ||
        q.get('appid') !== FAKE_APPID ||
        q.get('secret') !== FAKE_SECRET
      ) {
        return json(res, { errcode: 40013, errmsg: 'invalid appid' })
      }
      const token = `fake-token-${tokens.size + 1}`
      tokens.set(token, 0)
      return json(res, { access_token: token, expires_in: 7200 })
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        const token = url.searchParams.get('access_token') ?? ''
        let message: Partial<FakeSend>
        try {
          message = JSON.parse(body) as Partial<FakeSend>
        } catch {
          return json(res, { errcode: 47001, errmsg: 'data format error' })
        }
        const state = tokens.get(token)
        const answer: FakeSendReply =
          state === undefined
            ? { errcode: 40001 }
            : state !== 0
              ? { errcode: state }
              : !message.touser || !message.template_id || !message.data
                ? { errcode: 47003 }
                : (scripted.shift() ?? { errcode: 0 })
        sends.push({
          touser: message.touser ?? '',
          template_id: message.template_id ?? '',
          page: message.page ?? '',
          data: message.data ?? {},
          miniprogram_state: message.miniprogram_state,
          token,
          answer,
          receivedAt: Date.now(),
        })
        if ('http' in answer) return void res.writeHead(answer.http).end('Too Many Requests')
        return json(
          res,
          answer.errcode === 0
            ? { errcode: 0, errmsg: 'ok', msgid: sends.length }
            : { errcode: answer.errcode, errmsg: 'fake error' },
        )
      })
      return
    }
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
    get tokenCalls() {
      return tokenCalls
    },
    sends,
    delivered: () => sends.filter((s) => 'errcode' in s.answer && s.answer.errcode === 0),
    script: (...replies) => void scripted.push(...replies),
    expireTokens: (errcode) => {
      for (const token of tokens.keys()) tokens.set(token, errcode)
    },
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
