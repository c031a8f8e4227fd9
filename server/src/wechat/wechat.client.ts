import { Inject, Injectable, Logger } from '@nestjs/common'
import { z } from 'zod'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'

/** Who wx.login's code belongs to. WeChat's session_key is deliberately not part of it (see code2Session). */
export interface WechatIdentity {
  openid: string
  unionid: string | null
}

/** WeChat answers with HTTP 200 either way: an identity, or an errcode. */
const Code2SessionReply = z.union([
  z.object({ openid: z.string().min(1), unionid: z.string().optional(), errcode: z.literal(0).optional() }),
  z.object({ errcode: z.number().int(), errmsg: z.string().optional() }),
])

/**
 * The WeChat server API (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/). The base URL is
 * configurable so tests run against a fake WeChat server on loopback; notifications will send through it.
 */
@Injectable()
export class WechatClient {
  private readonly logger = new Logger(WechatClient.name)

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * code2Session: trades a wx.login code for the user's openid. WeChat also returns a session_key; it is
   * dropped here, unlogged and unstored, because nothing in the product decrypts WeChat data with it.
   */
  async code2Session(code: string): Promise<WechatIdentity> {
    const { apiBase, appId, secret, timeoutMs } = this.config.wechat
    if (!appId || !secret) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', '本系统未配置微信登录，请使用网页版')
    }
    // The URL carries the app secret: it must never reach a log line or an error message.
    const url = new URL(`${apiBase}/sns/jscode2session`)
    url.search = new URLSearchParams({
      appid: appId,
      secret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString()
    let text: string
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
      text = await response.text()
      if (!response.ok) return this.unavailable(`HTTP ${response.status}`)
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError'
      return this.unavailable(timedOut ? `no answer within ${timeoutMs} ms` : 'connection failed')
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return this.unavailable('reply is not JSON')
    }
    const reply = Code2SessionReply.safeParse(json)
    if (!reply.success) return this.unavailable('reply has neither openid nor errcode')
    if ('openid' in reply.data) return { openid: reply.data.openid, unionid: reply.data.unionid ?? null }
    return this.refused(reply.data.errcode)
  }

  private refused(errcode: number): never {
    switch (errcode) {
      case -1: // system busy
        throw new DomainError('UPSTREAM_UNAVAILABLE', '微信服务繁忙，请稍后重试', undefined, {
          'retry-after': '2',
        })
      case 40029: // invalid code
      case 40163: // code already used
        throw new DomainError('WECHAT_CODE_INVALID', '微信登录已失效，请重新登录')
      case 45011: // API minute-quota reached
        throw new DomainError('RATE_LIMITED', '登录的人太多了，请一分钟后再试', undefined, {
          'retry-after': '60',
        })
      default:
        // Misconfiguration (wrong appid/secret, 40013/40125…) or something new: the operator must look.
        this.logger.error({ errcode }, 'code2Session refused')
        throw new DomainError('UPSTREAM_UNAVAILABLE', '微信登录暂时不可用，请稍后再试')
    }
  }

  private unavailable(reason: string): never {
    this.logger.warn({ reason }, 'code2Session failed')
    throw new DomainError('UPSTREAM_UNAVAILABLE', '暂时连不上微信，请稍后再试', undefined, {
      'retry-after': '5',
    })
  }
}
