import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { aliyunSignature } from '../src/sms/sms-provider'

export const FAKE_SMS_KEY_ID = 'LTAI-fake-sms-key'
export const FAKE_SMS_KEY_SECRET = 'fake-sms-key-secret-for-tests'
export const FAKE_SMS_SIGN = '民情直通'
export const FAKE_CODE_TEMPLATE = 'SMS_100000001'
export const FAKE_NOTICE_TEMPLATE = 'SMS_100000002'

/** One SendSms call the fake received, and what it answered. */
export interface FakeSms {
  to: string
  templateCode: string
  params: Record<string, string>
  outId: string | null
  /** The form as received, Signature included. */
  form: Record<string, string>
  /** Null: the signature checked out; else why it did not. */
  signatureProblem: string | null
  answer: FakeSmsReply
}

/** An Aliyun `Code` (`OK`: taken), or a bare HTTP status. */
export type FakeSmsReply = { code: string } | { http: number }

export interface FakeSmsProvider {
  /** The base URL to configure as SMS_API_BASE. */
  url: string
  /** Every call, in order. */
  calls: FakeSms[]
  /** The messages taken (Code OK). */
  delivered(): FakeSms[]
  /** The next calls answer these, in order; after them every well-signed call is taken. */
  script(...replies: FakeSmsReply[]): void
  close(): Promise<void>
}

/**
 * A fake Alibaba Cloud SMS API (SendSms, RPC style) on 127.0.0.1: checks the request's HMAC-SHA1
 * signature with the fake secret, the key id, the sign name and a fresh nonce, and answers
 * `SignatureDoesNotMatch` (HTTP 400) when any of them is wrong; takes the rest (`Code: OK`, a BizId)
 * unless `script()` says otherwise.
 */
export async function startFakeSms(): Promise<FakeSmsProvider> {
  const calls: FakeSms[] = []
  const scripted: FakeSmsReply[] = []
  const nonces = new Set<string>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body))
      const problem =
        req.method !== 'POST'
          ? 'not a POST'
          : form.Action !== 'SendSms'
            ? 'not SendSms'
            : form.AccessKeyId !== FAKE_SMS_KEY_ID
              ? 'unknown AccessKeyId'
              : form.SignatureMethod !== 'HMAC-SHA1' || form.SignatureVersion !== '1.0'
                ? 'unsupported signature method'
                : !form.SignatureNonce || nonces.has(form.SignatureNonce)
                  ? 'nonce missing or used before'
                  : Math.abs(Date.parse(form.Timestamp ?? '') - Date.now()) > 15 * 60 * 1000 || Number.isNaN(Date.parse(form.Timestamp ?? ''))
                    ? 'timestamp missing or off by more than 15 minutes'
                    : form.Signature !== aliyunSignature('POST', form, FAKE_SMS_KEY_SECRET)
                      ? 'signature does not match'
                      : form.SignName !== FAKE_SMS_SIGN
                        ? 'unknown SignName'
                        : null
      if (form.SignatureNonce) nonces.add(form.SignatureNonce)
      let params: Record<string, string> = {}
      try {
        params = JSON.parse(form.TemplateParam ?? '{}') as Record<string, string>
      } catch {
        params = {}
      }
      const answer: FakeSmsReply = problem ? { code: 'SignatureDoesNotMatch' } : (scripted.shift() ?? { code: 'OK' })
      calls.push({
        to: form.PhoneNumbers ?? '',
        templateCode: form.TemplateCode ?? '',
        params,
        outId: form.OutId ?? null,
        form,
        signatureProblem: problem,
        answer,
      })
      if ('http' in answer) return void res.writeHead(answer.http).end('Service Unavailable')
      const status = answer.code === 'OK' ? 200 : answer.code === 'SignatureDoesNotMatch' ? 400 : 200
      res.writeHead(status, { 'content-type': 'application/json' }).end(
        JSON.stringify(
          answer.code === 'OK'
            ? { Code: 'OK', Message: 'OK', BizId: `biz-${calls.length}`, RequestId: `req-${calls.length}` }
            : { Code: answer.code, Message: problem ?? 'fake error', RequestId: `req-${calls.length}` },
        ),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    delivered: () => calls.filter((c) => 'code' in c.answer && c.answer.code === 'OK'),
    script: (...replies) => void scripted.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Test-app environment sending text messages to the fake. */
export function smsEnv(fake: FakeSmsProvider, timeoutMs = 1000): Record<string, string> {
  return {
    SMS_PROVIDER: 'aliyun',
    SMS_API_BASE: fake.url,
    SMS_ACCESS_KEY_ID: FAKE_SMS_KEY_ID,
    SMS_ACCESS_KEY_SECRET: FAKE_SMS_KEY_SECRET,
    SMS_SIGN_NAME: FAKE_SMS_SIGN,
    SMS_CODE_TEMPLATE: FAKE_CODE_TEMPLATE,
    SMS_NOTICE_TEMPLATE: FAKE_NOTICE_TEMPLATE,
    SMS_TIMEOUT_MS: String(timeoutMs),
  }
}
