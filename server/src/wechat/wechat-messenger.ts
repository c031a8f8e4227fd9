import { Inject, Injectable, Logger } from '@nestjs/common'
import { DataSource } from 'typeorm'
import { z } from 'zod'
import { Clock } from '../common/clock'
import { APP_CONFIG, type AppConfig } from '../config/config'

/** A subscription message (订阅消息) as subscribe/send takes it. */
export interface SubscribeMessage {
  touser: string
  templateId: string
  /** The mini-app page the message opens, with its query. */
  page: string
  data: Record<string, { value: string }>
}

/**
 * What became of a send. `retry`: worth another attempt later (busy, rate-limited, unreachable, token
 * trouble); `refused`: 43101, the user holds no subscription for this template (never retried); `failed`:
 * a request WeChat will never take (bad openid, template or data).
 */
export type SendOutcome =
  | { kind: 'sent'; msgid: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'refused'; error: string }
  | { kind: 'failed'; error: string }

/** errcodes meaning the access token is not (or no longer) good: fetch a new one and send again. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001])
/** Retrying cannot help: the openid, template, page or data is wrong. */
const PERMANENT_ERRORS = new Set([40003, 40036, 40037, 41028, 41030, 47003])
const REFUSED = 43101
/** Subtracted from the token's lifetime so it is replaced before WeChat stops taking it. */
const TOKEN_MARGIN_MS = 5 * 60_000
/** Arbitrary, fixed: one instance at a time fetches the access token. */
const TOKEN_LOCK = 7_220_412

const TokenReply = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() }),
  z.object({ errcode: z.number().int(), errmsg: z.string().optional() }),
])
/** WeChat answers every send with an errcode (0: taken); a reply without one is not a success. */
const SendReply = z.object({
  errcode: z.number().int(),
  errmsg: z.string().optional(),
  msgid: z.union([z.number(), z.string()]).optional(),
})

type Reply =
  { kind: 'json'; json: unknown } | { kind: 'http'; status: number } | { kind: 'unreachable'; reason: string }

class TokenUnavailable extends Error {}

/**
 * WeChat subscription messages (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html)
 * with the server access token from /cgi-bin/token. The token lives in the database, shared by every
 * instance (wechat-token.entity.ts), and is fetched again when it nears its end or WeChat calls it invalid
 * or expired (40001, 40014, 42001). URLs carry the secret or the token: neither reaches a log or an error.
 */
@Injectable()
export class WechatMessenger {
  private readonly logger = new Logger(WechatMessenger.name)

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Whether this deployment can send at all (an AppID and secret are configured). */
  get configured(): boolean {
    return Boolean(this.config.wechat.appId && this.config.wechat.secret)
  }

  async send(message: SubscribeMessage): Promise<SendOutcome> {
    let token: string
    try {
      token = await this.accessToken()
    } catch (error) {
      if (error instanceof TokenUnavailable) return { kind: 'retry', error: error.message }
      throw error
    }
    let reply = await this.post(token, message)
    const first = this.errcodeOf(reply)
    if (first !== null && TOKEN_ERRORS.has(first)) {
      try {
        token = await this.accessToken(token)
      } catch (error) {
        if (error instanceof TokenUnavailable) return { kind: 'retry', error: error.message }
        throw error
      }
      reply = await this.post(token, message)
    }
    return this.outcome(reply)
  }

  /**
   * The shared access token; a new one when it is near its end, or when `stale` (the one WeChat just
   * refused) is still the one stored. One instance fetches at a time (advisory lock); the others wait and
   * take what it stored.
   */
  async accessToken(stale: string | null = null): Promise<string> {
    const appId = this.config.wechat.appId
    if (!appId || !this.config.wechat.secret) throw new TokenUnavailable('WeChat is not configured')
    const usable = (row: { access_token: string; expires_at: Date } | undefined) =>
      row !== undefined &&
      row.access_token !== stale &&
      row.expires_at.getTime() - TOKEN_MARGIN_MS > this.clock.now().getTime()
    const read = (m: DataSource['manager']) =>
      m.query<{ access_token: string; expires_at: Date }[]>(
        'SELECT access_token, expires_at FROM wechat_access_token WHERE app_id = $1',
        [appId],
      )
    const [cached] = await read(this.dataSource.manager)
    if (usable(cached)) return cached.access_token
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [TOKEN_LOCK])
      const [current] = await read(m)
      if (usable(current)) return current.access_token
      const fetched = await this.fetchToken()
      const now = this.clock.now()
      await m.query(
        `INSERT INTO wechat_access_token (app_id, access_token, expires_at, fetched_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (app_id) DO UPDATE SET access_token = $2, expires_at = $3, fetched_at = $4`,
        [appId, fetched.token, new Date(now.getTime() + fetched.expiresIn * 1000), now],
      )
      return fetched.token
    })
  }

  private async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const { apiBase, appId, secret } = this.config.wechat
    const url = new URL(`${apiBase}/cgi-bin/token`)
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: appId!,
      secret: secret!,
    }).toString()
    const reply = await this.request(url, { method: 'GET' })
    if (reply.kind !== 'json') {
      throw new TokenUnavailable(
        `access token: ${reply.kind === 'http' ? `HTTP ${reply.status}` : reply.reason}`,
      )
    }
    const parsed = TokenReply.safeParse(reply.json)
    if (!parsed.success)
      throw new TokenUnavailable('access token: reply has neither access_token nor errcode')
    if ('errcode' in parsed.data) {
      // 40013/40125 (wrong AppID/secret), 40164 (IP not allowed): the operator must look.
      this.logger.error({ errcode: parsed.data.errcode }, 'WeChat refused the access token request')
      throw new TokenUnavailable(
        `access token: errcode ${parsed.data.errcode} ${parsed.data.errmsg ?? ''}`.trim(),
      )
    }
    return { token: parsed.data.access_token, expiresIn: parsed.data.expires_in }
  }

  private post(token: string, message: SubscribeMessage): Promise<Reply> {
    const url = new URL(`${this.config.wechat.apiBase}/cgi-bin/message/subscribe/send`)
    url.search = new URLSearchParams({ access_token: token }).toString()
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        touser: message.touser,
        template_id: message.templateId,
        page: message.page,
        data: message.data,
        miniprogram_state: this.config.notifications.miniprogramState,
        lang: 'zh_CN',
      }),
    })
  }

  private async request(url: URL, init: RequestInit): Promise<Reply> {
    const { timeoutMs } = this.config.wechat
    let text: string
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
      text = await response.text()
      if (!response.ok) return { kind: 'http', status: response.status }
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError'
      return {
        kind: 'unreachable',
        reason: timedOut ? `no answer within ${timeoutMs} ms` : 'connection failed',
      }
    }
    try {
      return { kind: 'json', json: JSON.parse(text) as unknown }
    } catch {
      return { kind: 'unreachable', reason: 'reply is not JSON' }
    }
  }

  private errcodeOf(reply: Reply): number | null {
    if (reply.kind !== 'json') return null
    const parsed = SendReply.safeParse(reply.json)
    return parsed.success ? parsed.data.errcode : null
  }

  private outcome(reply: Reply): SendOutcome {
    if (reply.kind === 'http') {
      // 429 and 5xx: rate limited or WeChat (or a proxy) in trouble; anything else is just as unexpected.
      return { kind: 'retry', error: `HTTP ${reply.status}` }
    }
    if (reply.kind === 'unreachable') return { kind: 'retry', error: reply.reason }
    const parsed = SendReply.safeParse(reply.json)
    if (!parsed.success) return { kind: 'retry', error: 'reply has no errcode' }
    const { errcode, errmsg, msgid } = parsed.data
    const error = `errcode ${errcode}${errmsg ? ` ${errmsg}` : ''}`.slice(0, 300)
    if (errcode === 0) return { kind: 'sent', msgid: msgid === undefined ? null : String(msgid) }
    if (errcode === REFUSED) return { kind: 'refused', error }
    if (PERMANENT_ERRORS.has(errcode)) return { kind: 'failed', error }
    // -1 (busy), 45009/45011 (quota, rate), token trouble that a new token did not cure, the unknown.
    return { kind: 'retry', error }
  }
}
