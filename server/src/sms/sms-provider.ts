import { Logger } from '@nestjs/common'
import { createHmac, randomUUID } from 'node:crypto'
import type { SmsConfig } from '../config/config'

/** Which message: a verification code, or a notice about a request. */
export type SmsTemplate = 'code' | 'notice'

export interface SmsMessage {
  /** A mainland mobile number, 11 digits. */
  to: string
  template: SmsTemplate
  /** The template's variables: `{ code }`, or `{ number, status, link }`. */
  params: Record<string, string>
  /** Ours, passed through to the provider (Aliyun OutId) so an operator can match its records to ours. */
  reference?: string
}

/** `retry`: the provider could not take it now (5xx, timeout, throttled); `failed`: it never will as sent. */
export type SmsOutcome =
  | { kind: 'sent'; messageId: string }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string }

/** Where text messages go: one interface, so the outbox and the code service do not care which. */
export interface SmsProvider {
  readonly name: SmsConfig['provider']
  send(message: SmsMessage): Promise<SmsOutcome>
}

/** Nest injection token of the configured provider. */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER')

/** 138****5678: what logs and other people's views show of a number. */
export function maskMobile(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***'
}

/** What a message says, for the log provider (the real texts live in the provider's approved templates). */
export function messageText(message: SmsMessage): string {
  const p = message.params
  return message.template === 'code'
    ? `验证码 ${p.code}，5分钟内有效。如非本人操作，请忽略。`
    : `您的诉求 ${p.number} ${p.status}，详情：${p.link}`
}

/** SMS_PROVIDER=off: nothing goes out; callers say so (503 for codes, skipped notices). */
export class OffSmsProvider implements SmsProvider {
  readonly name = 'off' as const
  send(): Promise<SmsOutcome> {
    return Promise.resolve({ kind: 'failed', error: 'SMS is off (SMS_PROVIDER=off)' })
  }
}

/**
 * SMS_PROVIDER=log, the default outside production: the message goes to the server log, code included,
 * so a person trying the demo with `pnpm start` reads the code there. The number is masked even so:
 * the log is no place for personal data.
 */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log' as const
  private readonly logger = new Logger('SMS')

  send(message: SmsMessage): Promise<SmsOutcome> {
    const messageId = `log-${randomUUID()}`
    this.logger.log({ to: maskMobile(message.to), messageId }, `SMS (not sent, SMS_PROVIDER=log): ${messageText(message)}`)
    return Promise.resolve({ kind: 'sent', messageId })
  }
}

/** Alibaba Cloud's percent-encoding of RPC signatures: RFC 3986 unreserved characters stay, all else %XX. */
export function aliyunEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): the parameters but Signature,
 * sorted by name, encoded and joined; `METHOD&%2F&` + that encoded again; HMAC-SHA1 under `secret&`.
 */
export function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${aliyunEncode(k)}=${aliyunEncode(params[k])}`)
    .join('&')
  const stringToSign = `${method}&${aliyunEncode('/')}&${aliyunEncode(canonical)}`
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64')
}

/** Alibaba Cloud answers `Code: "OK"` or an error code; these mean "not now" rather than "never". */
const RETRYABLE = /^(isp\.|isv\.BUSINESS_LIMIT_CONTROL$|Throttling|ServiceUnavailable|InternalError)/

/**
 * Alibaba Cloud SMS (dysmsapi, SendSms, API version 2017-05-25) over HTTPS with the RPC signature.
 * The base URL is configuration, so tests send to a fake on loopback that checks the signature.
 */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const

  constructor(
    private readonly config: Extract<SmsConfig, { provider: 'aliyun' }>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: SmsMessage): Promise<SmsOutcome> {
    const c = this.config
    const params: Record<string, string> = {
      AccessKeyId: c.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: message.to,
      RegionId: 'cn-hangzhou',
      SignName: c.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: message.template === 'code' ? c.codeTemplate : c.noticeTemplate,
      TemplateParam: JSON.stringify(message.params),
      Timestamp: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      ...(message.reference ? { OutId: message.reference } : {}),
    }
    params.Signature = aliyunSignature('POST', params, c.accessKeySecret)
    let status: number
    let text: string
    try {
      const response = await fetch(`${c.apiBase}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(c.timeoutMs),
      })
      status = response.status
      text = await response.text()
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError'
      return { kind: 'retry', error: timedOut ? `no answer within ${c.timeoutMs} ms` : 'connection failed' }
    }
    let reply: { Code?: unknown; BizId?: unknown } | null
    try {
      reply = JSON.parse(text) as { Code?: unknown; BizId?: unknown } | null
    } catch {
      reply = null
    }
    const code = typeof reply?.Code === 'string' ? reply.Code : null
    // The provider's message may quote the number back: only its code goes into our records.
    if (code === 'OK' && typeof reply?.BizId === 'string') return { kind: 'sent', messageId: reply.BizId }
    if (status >= 500 || status === 429 || (code !== null && RETRYABLE.test(code)))
      return { kind: 'retry', error: `HTTP ${status}${code ? ` ${code}` : ''}` }
    return { kind: 'failed', error: `HTTP ${status} ${code ?? 'reply without a Code'}` }
  }
}

/** The provider SMS_PROVIDER names. */
export function smsProvider(config: SmsConfig): SmsProvider {
  switch (config.provider) {
    case 'aliyun':
      return new AliyunSmsProvider(config)
    case 'log':
      return new LogSmsProvider()
    case 'off':
      return new OffSmsProvider()
  }
}
