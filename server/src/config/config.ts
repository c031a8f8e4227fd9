import { NOTIFICATION_TYPES, type NotificationType } from '@mq/shared'
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { z } from 'zod'
import type { S3PhotoStoreOptions } from '../photos/photo-store'

/** The repository root: data and the H5 build live beside the server by default. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..')

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true, false, 1 or 0' })
  .transform((v) => v === 'true' || v === '1')

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback)

/** `900`, `900s`, `15m`, `12h`, `30d` → seconds. */
const duration = (fallback: string) =>
  z
    .string()
    .regex(/^\d+[smhd]?$/, 'must be a duration such as 900, 15m, 12h or 30d')
    .default(fallback)
    .transform(
      (v) => Number.parseInt(v, 10) * { s: 1, m: 60, h: 3600, d: 86400 }[/[smhd]$/.exec(v)?.[0] ?? 's']!,
    )
    .refine((seconds) => seconds > 0, 'must be longer than 0')

/**
 * A rate limit: `N/window` (at most N in any window, e.g. `10/15m`, `30/1h`) or `off`. Counted in
 * PostgreSQL, so the limit holds across every instance behind the balancer (abuse/rate-limits.ts).
 */
/** A rate limit setting (`N/window` or `off`), documented with its default. */
const rateLimit = (fallback: string, docs: { description: string }) =>
  z
    .string()
    .regex(/^(off|[1-9]\d{0,6}\/[1-9]\d{0,6}[smhd]?)$/, 'must be N/window such as 10/15m, 30/1h, or off')
    .default(fallback)
    .transform((v): RateLimit | null => {
      if (v === 'off') return null
      const [points, window] = v.split('/')
      const seconds =
        Number.parseInt(window, 10) * { s: 1, m: 60, h: 3600, d: 86400 }[/[smhd]$/.exec(window)?.[0] ?? 's']!
      return { points: Number.parseInt(points, 10), seconds }
    })
    .register(variableDocs, { default: fallback, ...docs })

/** The abuse limits, each counted per client address or per person (abuse/rate-limits.ts). */
export const RATE_LIMIT_NAMES = [
  'staffLoginPerIp',
  'staffLoginPerAccount',
  'residentLoginPerIp',
  'filingPerPerson',
  'filingPerIp',
  'chasePerPerson',
  'chasePerIp',
  'uploadPerPerson',
  'uploadPerIp',
  'smsCodePerIp',
  'smsCodePerPerson',
  'smsCodePerNumberMinute',
  'smsCodePerNumberDay',
  'smsVerifyPerIp',
] as const
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number]

/** At most `points` in any `seconds`. */
export interface RateLimit {
  points: number
  seconds: number
}

/**
 * `TRUST_PROXY`: which peers may name the client in X-Forwarded-For. `false`, `true` (anyone: only behind
 * a balancer that is the sole way in), a hop count, or addresses/CIDRs/`loopback`/`uniquelocal`.
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])
const trustedPeer = (part: string) => {
  const [address, bits, ...rest] = part.split('/')
  const version = isIP(address)
  if (rest.length > 0 || (!version && !(PROXY_NAMES.has(address) && bits === undefined))) return false
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
}
const trustProxy = z
  .string()
  .refine(
    (v) => /^(true|false|\d{1,2})$/.test(v) || v.split(',').every((part) => trustedPeer(part.trim())),
    'must be true, false, a hop count, or a comma-separated list of addresses, CIDRs, loopback, linklocal, uniquelocal',
  )
  .default('loopback')
  .transform((v): boolean | number | string =>
    v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
  )

/** Signs access tokens outside production only, so a deployment can never run on a published secret. */
const DEV_TOKEN_SECRET = 'mq-development-token-secret-never-use-in-production'

/** Variables whose values must never appear in an error message (it ends up in logs). */
const SECRET_VARS = new Set([
  'TOKEN_SECRET',
  'WECHAT_SECRET',
  'WECHAT_VERIFY_CONTENT',
  'S3_SECRET_ACCESS_KEY',
  'SMS_ACCESS_KEY_SECRET',
])

/** What the configuration reference (docs/deployment.md, README.md) says about a variable. */
export interface VariableDoc {
  /** As the reference shows it; `–` for none. */
  default: string
  description: string
  /** What production mode (NODE_ENV=production) demands of it, if anything. */
  production?: string
}

/** The documentation of every variable, kept beside its check: the reference is generated from it. */
export const variableDocs = z.registry<VariableDoc>()

const milliseconds = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)
    .default(fallback)

/**
 * `WECHAT_TEMPLATES`: `event=templateId` pairs, comma-separated, e.g.
 * `accepted=AbC…,replied=DeF…,warning=GhI…` (events: shared/src/notifications.ts NOTIFICATION_TYPES).
 */
const templates = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const map: Partial<Record<NotificationType, string>> = {}
    const pairs = value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
    for (const pair of pairs) {
      const match = /^([a-z_]+)=([A-Za-z0-9_-]{1,128})$/.exec(pair)
      if (!match || !(NOTIFICATION_TYPES as readonly string[]).includes(match[1])) {
        ctx.addIssue({
          code: 'custom',
          message: `must be event=templateId pairs separated by commas, events among ${NOTIFICATION_TYPES.join(', ')}; "${pair}" is not`,
        })
        return z.NEVER
      }
      map[match[1] as NotificationType] = match[2]
    }
    return map
  })

/** Every environment variable the server reads, validated once at boot. */
export const EnvShape = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').register(variableDocs, {
    default: 'development',
    description:
      '`production` turns on the checks of the production column: the server refuses to start until they pass',
  }),
  HOST: z.string().min(1).default('127.0.0.1').register(variableDocs, {
    default: '127.0.0.1',
    description: 'listen address (`0.0.0.0` to reach it from a phone on the LAN or from a balancer on another host)',
  }),
  PORT: port(3000).register(variableDocs, { default: '3000', description: 'HTTP port' }),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://mq.example.cn' }).optional().register(
    variableDocs,
    {
      default: '`http://localhost:$PORT`',
      description: 'base of the QR URL `${PUBLIC_URL}/q/${token}`, printed on every poster: choose it once',
      production: 'required, `https://`',
    },
  ),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .register(variableDocs, {
      default: '–',
      description: 'a real PostgreSQL (13 or newer); without it the embedded one starts',
      production: 'required',
    }),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .register(variableDocs, {
      default: '–',
      description:
        'a streaming replica of `DATABASE_URL` for the board, metrics, ledger and Open311 reads (docs/adr/0006); public reads there may be behind the primary by the replica\'s lag, a signed-in caller\'s read never is; unset, or the replica down: everything reads the primary',
    }),
  EMBEDDED_PG_PORT: port(54329).register(variableDocs, {
    default: '54329',
    description: 'port of the embedded PostgreSQL (127.0.0.1 only)',
  }),
  DATA_DIR: z
    .string()
    .min(1)
    .default(resolve(REPO_ROOT, '.data'))
    .register(variableDocs, {
      default: '`.data`',
      description:
        'embedded database files and uploads; with several instances, a directory they all share (NFS or similar)',
    }),
  PHOTO_STORE: z.enum(['local', 's3'], { message: 'must be local or s3' }).default('local').register(variableDocs, {
    default: 'local',
    description:
      'where photo bytes go: `local` (`$DATA_DIR/photos`) or `s3`, an S3-compatible bucket (AWS S3, MinIO, OSS, COS…) that several instances share',
  }),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL such as https://s3.example.cn' }).optional().register(
    variableDocs,
    {
      default: "AWS's endpoint of the region",
      description: 'with `PHOTO_STORE=s3`: the S3 API base URL of a non-AWS store (`https://minio.internal:9000`)',
    },
  ),
  S3_REGION: z.string().min(1).default('us-east-1').register(variableDocs, {
    default: 'us-east-1',
    description: 'with `PHOTO_STORE=s3`: the bucket\'s region (request signing needs one; most other stores accept any)',
  }),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)')
    .optional()
    .register(variableDocs, {
      default: '–',
      description: 'with `PHOTO_STORE=s3`: the bucket (created beforehand, private); required then',
    }),
  S3_ACCESS_KEY_ID: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description: 'with `PHOTO_STORE=s3`: access key with GetObject, PutObject and DeleteObject on the bucket; required then',
  }),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description: 'with `PHOTO_STORE=s3`: its secret; required then',
  }),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false).register(variableDocs, {
    default: 'false',
    description:
      'with `PHOTO_STORE=s3`: address the bucket as `$S3_ENDPOINT/bucket` rather than `bucket.host` (MinIO and most self-hosted stores need `true`)',
  }),
  H5_DIST: z
    .string()
    .min(1)
    .default(resolve(REPO_ROOT, 'miniapp', 'dist', 'h5'))
    .register(variableDocs, { default: '`miniapp/dist/h5`', description: 'the H5 build the server serves' }),
  DEMO: booleanFlag.optional().register(variableDocs, {
    default: 'on with the embedded database',
    description: 'seed the demo compound 石灰桥新村 and offer the one-tap demo resident login',
    production: 'must not be `true`',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .register(variableDocs, { default: 'info', description: 'pino level (`silent` … `trace`)' }),
  HOTLINE: z.string().default('0571-12345').register(variableDocs, {
    default: '0571-12345',
    description: 'fallback phone number shown on scan pages and posters',
  }),
  /** WeChat's link-rule domain check: the file name it asks for and the content it gives. */
  WECHAT_VERIFY_FILE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}\.txt$/, 'must be a file name such as abc123.txt')
    .optional()
    .register(variableDocs, {
      default: '–',
      description: 'the check file WeChat asks for when registering the link rule (`docs/wechat.md`)',
    }),
  WECHAT_VERIFY_CONTENT: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description: 'the content of that file, as WeChat shows it',
  }),
  TOKEN_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .register(variableDocs, {
      default: 'a fixed development value',
      description:
        'HMAC key of the access tokens; the same value on every instance (`openssl rand -base64 48`)',
      production: 'required: at least 32 random characters',
    }),
  ACCESS_TOKEN_TTL: duration('15m').register(variableDocs, {
    default: '15m',
    description: 'lifetime of an access token (`900`, `900s`, `15m`, `12h`, `30d`)',
  }),
  REFRESH_TOKEN_TTL: duration('30d').register(variableDocs, {
    default: '30d',
    description: 'lifetime of a refresh token; each refresh issues a new one',
  }),
  WECHAT_API_BASE: z
    .url({ message: 'must be an absolute URL such as https://api.weixin.qq.com' })
    .default('https://api.weixin.qq.com')
    .register(variableDocs, {
      default: '`https://api.weixin.qq.com`',
      description: 'WeChat server API base URL (tests point it at a fake on loopback)',
    }),
  WECHAT_APPID: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description:
      "the mini-app's AppID for `code2Session`; set both or neither (without them WeChat login answers 503)",
    production: 'required',
  }),
  WECHAT_SECRET: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description: "the mini-app's AppSecret",
    production: 'required',
  }),
  WECHAT_TIMEOUT_MS: milliseconds(5000, 100, 60000).register(variableDocs, {
    default: '5000',
    description: 'how long to wait for WeChat before answering 503',
  }),
  SHUTDOWN_DELAY_MS: milliseconds(0, 0, 120000).register(variableDocs, {
    default: '0',
    description:
      'on SIGTERM, how long to keep serving while `/api/health/ready` answers 503, so a balancer that polls it stops sending first (set it above the poll interval × failures to mark down; nginx with passive checks needs none)',
  }),
  SHUTDOWN_TIMEOUT_MS: milliseconds(30000, 1000, 600000).register(variableDocs, {
    default: '30000',
    description:
      'on SIGTERM, how long in-flight requests may take to finish before their connections are cut (keep systemd `TimeoutStopSec` above delay + timeout)',
  }),
  RETENTION_YEARS: z.coerce
    .number({ message: 'must be a whole number of years' })
    .int('must be a whole number of years')
    .min(1, 'must be between 1 and 30')
    .max(30, 'must be between 1 and 30')
    .default(3)
    .register(variableDocs, {
      default: '3',
      description:
        'personal data of requests finished (closed, rejected, merged) this many years ago is removed by the retention job (`node dist/retention/run.js`)',
    }),
  WORKERS: booleanFlag.optional().register(variableDocs, {
    default: 'on (off when `NODE_ENV=test`)',
    description:
      'run the deadline timers and the notification sender in this process; any number of instances may run them at once (each timer and message is handled once)',
  }),
  DEADLINE_SCAN_INTERVAL_MS: milliseconds(5000, 100, 600000).register(variableDocs, {
    default: '5000',
    description: 'how often an instance looks for deadline timers that are due (the most a warning or escalation is late, plus the work)',
  }),
  NOTIFY_INTERVAL_MS: milliseconds(2000, 100, 600000).register(variableDocs, {
    default: '2000',
    description: 'how often an instance looks for notifications to send',
  }),
  NOTIFY_MAX_ATTEMPTS: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 50')
    .max(50, 'must be between 1 and 50')
    .default(8)
    .register(variableDocs, {
      default: '8',
      description: 'attempts at a WeChat message before it is marked failed (admins see and retry failed ones)',
    }),
  NOTIFY_RETRY_BASE_MS: milliseconds(30000, 100, 3600000).register(variableDocs, {
    default: '30000',
    description: 'wait before the first retry of a message WeChat did not take; it doubles with each attempt',
  }),
  NOTIFY_RETRY_MAX_MS: milliseconds(3600000, 1000, 86400000).register(variableDocs, {
    default: '3600000',
    description: 'the longest wait between two attempts',
  }),
  NOTIFY_LEASE_MS: milliseconds(60000, 1000, 3600000).register(variableDocs, {
    default: '60000',
    description:
      'how long a message claimed by an instance stays its own; after that (the instance died) another claims it. At least 4 × `WECHAT_TIMEOUT_MS`',
  }),
  WECHAT_TEMPLATES: templates.register(variableDocs, {
    default: '–',
    description:
      'subscription message template ids per event, `event=templateId` comma-separated (events: accepted, replied, resolved, rejected for residents; assigned, chased, reopened, escalated, warning, overdue, promise_extended for staff); an event without one is not sent through WeChat',
  }),
  WECHAT_MINIPROGRAM_STATE: z.enum(['formal', 'trial', 'developer']).default('formal').register(variableDocs, {
    default: 'formal',
    description: 'which version of the mini-app a message opens (`formal`, `trial`, `developer`)',
  }),
  TRUST_PROXY: trustProxy.register(variableDocs, {
    default: 'loopback',
    description:
      'which peers may name the client address in `X-Forwarded-For` (per-IP rate limits and logs use it): `loopback` for nginx on the same host, its address or CIDR (`10.0.0.0/8`) when it runs elsewhere, `false` when clients connect directly; `true` only when nothing but the balancer can reach the instances (anyone else could then pick their own address)',
  }),
  LOG_FILE: z.string().min(1).optional().register(variableDocs, {
    default: 'standard output',
    description:
      'append the JSON log lines to this file instead (the server tests scan it for personal data)',
  }),
  RATE_LIMIT_STAFF_LOGIN_PER_IP: rateLimit('60/15m', {
    description:
      'staff password logins from one client address (`N/window` or `off`); beyond it 429 with Retry-After. The per-account lockout (5 wrong passwords → 423) comes on top',
  }),
  RATE_LIMIT_STAFF_LOGIN_PER_ACCOUNT: rateLimit('20/15m', {
    description: 'staff password logins naming one phone number, right or wrong, from any address',
  }),
  RATE_LIMIT_RESIDENT_LOGIN_PER_IP: rateLimit('3000/10m', {
    description:
      'resident logins (WeChat code, H5 device) from one client address; generous because mobile carriers put many phones behind one address',
  }),
  RATE_LIMIT_FILING_PER_PERSON: rateLimit('20/1h', {
    description:
      'requests one resident may file (`POST /api/requests`; a replay of the same Idempotency-Key counts too)',
  }),
  RATE_LIMIT_FILING_PER_IP: rateLimit('600/1h', {
    description: 'requests filed from one client address by any residents',
  }),
  RATE_LIMIT_CHASE_PER_PERSON: rateLimit('30/1h', {
    description:
      'chases (催单) by one person across all requests; each request also allows one chase per person every 2 hours',
  }),
  RATE_LIMIT_CHASE_PER_IP: rateLimit('600/1h', {
    description: 'chases from one client address',
  }),
  RATE_LIMIT_UPLOAD_PER_PERSON: rateLimit('60/1h', {
    description: 'photo uploads by one person (resident or staff)',
  }),
  RATE_LIMIT_UPLOAD_PER_IP: rateLimit('1200/1h', {
    description: 'photo uploads from one client address',
  }),
  RATE_LIMIT_SMS_CODE_PER_IP: rateLimit('60/1h', {
    description: 'SMS verification codes asked for from one client address (each one costs money)',
  }),
  RATE_LIMIT_SMS_CODE_PER_PERSON: rateLimit('10/1d', {
    description: 'SMS verification codes one resident may ask for, whatever the numbers',
  }),
  RATE_LIMIT_SMS_CODE_PER_NUMBER_MINUTE: rateLimit('1/1m', {
    description: 'SMS verification codes sent to one mobile number, by anyone, per minute',
  }),
  RATE_LIMIT_SMS_CODE_PER_NUMBER_DAY: rateLimit('5/1d', {
    description: 'SMS verification codes sent to one mobile number, by anyone, per day',
  }),
  RATE_LIMIT_SMS_VERIFY_PER_IP: rateLimit('300/1h', {
    description:
      'code checks from one client address (each code also dies after 5 wrong tries)',
  }),
  SMS_PROVIDER: z
    .enum(['off', 'log', 'aliyun'], { message: 'must be off, log or aliyun' })
    .optional()
    .register(variableDocs, {
      default: '`log` (`off` in production)',
      description:
        'how text messages (verification codes, notices to residents without a WeChat consent) go out: `aliyun` (Alibaba Cloud SMS API), `log` (written to the server log, codes included: for trying it out), `off` (no SMS; number verification answers 503)',
      production: 'not `log`',
    }),
  SMS_API_BASE: z
    .url({ protocol: /^https?$/, message: 'must be an absolute URL such as https://dysmsapi.aliyuncs.com' })
    .default('https://dysmsapi.aliyuncs.com')
    .register(variableDocs, {
      default: '`https://dysmsapi.aliyuncs.com`',
      description: 'with `SMS_PROVIDER=aliyun`: the SMS API endpoint (tests point it at a fake on loopback)',
    }),
  SMS_ACCESS_KEY_ID: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description: 'with `SMS_PROVIDER=aliyun`: a RAM AccessKey allowed `dysms:SendSms` only; required then',
  }),
  SMS_ACCESS_KEY_SECRET: z.string().min(1).optional().register(variableDocs, {
    default: '–',
    description: 'with `SMS_PROVIDER=aliyun`: its secret; required then',
  }),
  SMS_SIGN_NAME: z.string().min(1).max(30).optional().register(variableDocs, {
    default: '–',
    description: 'with `SMS_PROVIDER=aliyun`: the approved signature (签名) shown as 【…】; required then',
  }),
  SMS_CODE_TEMPLATE: z
    .string()
    .regex(/^SMS_\d{1,20}$/, 'must be a template code such as SMS_123456789')
    .optional()
    .register(variableDocs, {
      default: '–',
      description:
        'with `SMS_PROVIDER=aliyun`: the verification-code template, one variable `${code}`; required then',
    }),
  SMS_NOTICE_TEMPLATE: z
    .string()
    .regex(/^SMS_\d{1,20}$/, 'must be a template code such as SMS_123456789')
    .optional()
    .register(variableDocs, {
      default: '–',
      description:
        'with `SMS_PROVIDER=aliyun`: the notice template, variables `${number}` (request number), `${status}` (已受理, 已答复…) and `${link}` (its page); required then',
    }),
  SMS_TIMEOUT_MS: milliseconds(5000, 100, 60000).register(variableDocs, {
    default: '5000',
    description: 'how long to wait for the SMS API before trying again later (notices) or answering 503 (codes)',
  }),
})

/** Production asks more of a secret than its length: no published value, no long run of one character. */
function weakSecret(secret: string): string | null {
  if (secret === DEV_TOKEN_SECRET) return 'is the published development value'
  if (new Set(secret).size < 12) return 'is not random enough (fewer than 12 different characters)'
  return null
}

const EnvSchema = EnvShape.superRefine((env, ctx) => {
  if (env.PHOTO_STORE === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).find((name) => !env[name])
    if (missing) {
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when PHOTO_STORE=s3' })
      return
    }
  }
  if (env.SMS_PROVIDER === 'aliyun') {
    const needed = ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME', 'SMS_CODE_TEMPLATE', 'SMS_NOTICE_TEMPLATE'] as const
    const missing = needed.filter((name) => !env[name])
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: [missing[0]],
        message: `is required when SMS_PROVIDER=aliyun (not set: ${missing.join(', ')})`,
        params: { quiet: true },
      })
      return
    }
  }
  if (env.NODE_ENV === 'production') {
    const required = ['DATABASE_URL', 'PUBLIC_URL', 'TOKEN_SECRET', 'WECHAT_APPID', 'WECHAT_SECRET'] as const
    const missing = required.filter((name) => !env[name])
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['NODE_ENV'],
        message: `is production, which needs ${missing.join(', ')} (not set)`,
        params: { quiet: true },
      })
      return
    }
    if (!env.PUBLIC_URL!.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be an https:// URL in production (WeChat opens only https links)',
      })
    }
    const weak = weakSecret(env.TOKEN_SECRET!)
    if (weak) ctx.addIssue({ code: 'custom', path: ['TOKEN_SECRET'], message: weak })
    if (env.SMS_PROVIDER === 'log') {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_PROVIDER'],
        message: 'must not be log in production (it writes verification codes into the log); use aliyun or off',
        params: { quiet: true },
      })
    }
    if (env.DEMO === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['DEMO'],
        message: 'must not be true in production (demo data and demo logins are for trying it out)',
        params: { quiet: true },
      })
    }
  }
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_READ_URL'],
      message: 'is a replica of DATABASE_URL, which is not set (the embedded PostgreSQL has no replica)',
      params: { quiet: true },
    })
  }
  if (env.NOTIFY_LEASE_MS < 4 * env.WECHAT_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['NOTIFY_LEASE_MS'],
      message: `must be at least 4 × WECHAT_TIMEOUT_MS (${4 * env.WECHAT_TIMEOUT_MS}): a send may take a token fetch and two attempts`,
    })
  }
  if (Boolean(env.WECHAT_APPID) !== Boolean(env.WECHAT_SECRET)) {
    const missing = env.WECHAT_APPID ? 'WECHAT_SECRET' : 'WECHAT_APPID'
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'must be set together with the other (WECHAT_APPID, WECHAT_SECRET)',
    })
  }
})

export interface AppConfig {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  publicUrl: string
  /** Null: start the embedded PostgreSQL. */
  databaseUrl: string | null
  /** A streaming replica for the read models (database/read-source.ts); null: everything reads the primary. */
  databaseReadUrl: string | null
  embeddedPg: { port: number; dataDir: string }
  dataDir: string
  /** Where photo bytes are kept (photos/photo-store.ts). */
  photoStore: { kind: 'local' } | ({ kind: 's3' } & S3PhotoStoreOptions)
  h5Dist: string
  demo: boolean
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL']
  hotline: string
  wechatVerification: { fileName: string; content: string } | null
  version: string
  auth: {
    /** HMAC key of the access tokens (HS256). */
    tokenSecret: string
    /** Seconds. */
    accessTokenTtl: number
    /** Seconds; every refresh issues a new refresh token with a fresh lifetime. */
    refreshTokenTtl: number
  }
  wechat: {
    /** https://api.weixin.qq.com, or a fake WeChat server in tests. */
    apiBase: string
    /** Null: WeChat login is not configured on this deployment (H5 only). */
    appId: string | null
    secret: string | null
    timeoutMs: number
  }
  shutdown: {
    /** Milliseconds of serving on with readiness 503 before the listener closes. */
    delayMs: number
    /** Milliseconds in-flight requests get to finish before their connections are cut. */
    timeoutMs: number
  }
  retention: {
    /** Personal data of requests finished longer ago than this is anonymised. */
    years: number
  }
  /** Background work of this process: deadline timers and the notification sender. */
  workers: {
    enabled: boolean
    /** Milliseconds between two sweeps for due deadline timers. */
    deadlineScanIntervalMs: number
    /** Milliseconds between two looks for notifications to send. */
    notifyIntervalMs: number
  }
  notifications: {
    /** Subscription message template per event; an event without one goes out in-app only (staff). */
    templates: Partial<Record<NotificationType, string>>
    miniprogramState: 'formal' | 'trial' | 'developer'
    maxAttempts: number
    /** Backoff: base × 2^(attempt − 1), at most max. */
    retryBaseMs: number
    retryMaxMs: number
    leaseMs: number
  }
  /** Fastify `trustProxy`: which peers' X-Forwarded-For names the client. */
  trustProxy: boolean | number | string
  /** Null: log to standard output. */
  logFile: string | null
  /** Abuse limits (abuse/rate-limits.ts); null: off. */
  rateLimits: Record<RateLimitName, RateLimit | null>
  /** Text messages (sms/): codes that verify a resident's number, notices where WeChat cannot reach them. */
  sms: SmsConfig
}

export type SmsConfig =
  | { provider: 'off' | 'log'; timeoutMs: number }
  | {
      provider: 'aliyun'
      timeoutMs: number
      /** https://dysmsapi.aliyuncs.com, or a fake on loopback in tests. */
      apiBase: string
      accessKeyId: string
      accessKeySecret: string
      signName: string
      codeTemplate: string
      noticeTemplate: string
    }

export class ConfigError extends Error {}

/** Reads and checks the environment; throws ConfigError with one line naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  if (env.WECHAT_MESSAGE_PAGE !== undefined) {
    // Retired: one page cannot serve both audiences, and the old default was no page of the mini-app.
    throw new ConfigError(
      'Invalid configuration: WECHAT_MESSAGE_PAGE is no longer read (a resident’s message opens their page of the request, a staff member’s the page where it is handled); remove it',
    )
  }
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue.path[0])
    const quiet = issue.code === 'custom' && (issue.params as { quiet?: boolean } | undefined)?.quiet === true
    const got = quiet || env[name] === undefined || SECRET_VARS.has(name) ? '' : ` (got "${env[name]}")`
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${got}`)
  }
  const e = parsed.data
  const databaseUrl = e.DATABASE_URL ?? null
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl,
    databaseReadUrl: e.DATABASE_READ_URL ?? null,
    embeddedPg: { port: e.EMBEDDED_PG_PORT, dataDir: resolve(e.DATA_DIR, 'pg') },
    dataDir: e.DATA_DIR,
    photoStore:
      e.PHOTO_STORE === 's3'
        ? {
            kind: 's3',
            endpoint: e.S3_ENDPOINT ?? null,
            region: e.S3_REGION,
            bucket: e.S3_BUCKET!,
            accessKeyId: e.S3_ACCESS_KEY_ID!,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          }
        : { kind: 'local' },
    h5Dist: e.H5_DIST,
    // Demo data by default on the embedded database only; DEMO=true/false says otherwise. Never in
    // production (DEMO=true is refused above; this keeps it so should the checks ever change).
    demo: e.NODE_ENV !== 'production' && (e.DEMO ?? databaseUrl === null),
    logLevel: e.LOG_LEVEL,
    hotline: e.HOTLINE,
    wechatVerification:
      e.WECHAT_VERIFY_FILE && e.WECHAT_VERIFY_CONTENT
        ? { fileName: e.WECHAT_VERIFY_FILE, content: e.WECHAT_VERIFY_CONTENT }
        : null,
    version: process.env.npm_package_version ?? '0.1.0',
    auth: {
      tokenSecret: e.TOKEN_SECRET ?? DEV_TOKEN_SECRET,
      accessTokenTtl: e.ACCESS_TOKEN_TTL,
      refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    },
    wechat: {
      apiBase: e.WECHAT_API_BASE.replace(/\/+$/, ''),
      appId: e.WECHAT_APPID ?? null,
      secret: e.WECHAT_SECRET ?? null,
      timeoutMs: e.WECHAT_TIMEOUT_MS,
    },
    shutdown: { delayMs: e.SHUTDOWN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    retention: { years: e.RETENTION_YEARS },
    workers: {
      enabled: e.WORKERS ?? e.NODE_ENV !== 'test',
      deadlineScanIntervalMs: e.DEADLINE_SCAN_INTERVAL_MS,
      notifyIntervalMs: e.NOTIFY_INTERVAL_MS,
    },
    notifications: {
      templates: e.WECHAT_TEMPLATES,
      miniprogramState: e.WECHAT_MINIPROGRAM_STATE,
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
      retryMaxMs: e.NOTIFY_RETRY_MAX_MS,
      leaseMs: e.NOTIFY_LEASE_MS,
    },
    trustProxy: e.TRUST_PROXY,
    logFile: e.LOG_FILE ?? null,
    rateLimits: {
      staffLoginPerIp: e.RATE_LIMIT_STAFF_LOGIN_PER_IP,
      staffLoginPerAccount: e.RATE_LIMIT_STAFF_LOGIN_PER_ACCOUNT,
      residentLoginPerIp: e.RATE_LIMIT_RESIDENT_LOGIN_PER_IP,
      filingPerPerson: e.RATE_LIMIT_FILING_PER_PERSON,
      filingPerIp: e.RATE_LIMIT_FILING_PER_IP,
      chasePerPerson: e.RATE_LIMIT_CHASE_PER_PERSON,
      chasePerIp: e.RATE_LIMIT_CHASE_PER_IP,
      uploadPerPerson: e.RATE_LIMIT_UPLOAD_PER_PERSON,
      uploadPerIp: e.RATE_LIMIT_UPLOAD_PER_IP,
      smsCodePerIp: e.RATE_LIMIT_SMS_CODE_PER_IP,
      smsCodePerPerson: e.RATE_LIMIT_SMS_CODE_PER_PERSON,
      smsCodePerNumberMinute: e.RATE_LIMIT_SMS_CODE_PER_NUMBER_MINUTE,
      smsCodePerNumberDay: e.RATE_LIMIT_SMS_CODE_PER_NUMBER_DAY,
      smsVerifyPerIp: e.RATE_LIMIT_SMS_VERIFY_PER_IP,
    },
    sms:
      e.SMS_PROVIDER === 'aliyun'
        ? {
            provider: 'aliyun',
            timeoutMs: e.SMS_TIMEOUT_MS,
            apiBase: e.SMS_API_BASE.replace(/\/+$/, ''),
            accessKeyId: e.SMS_ACCESS_KEY_ID!,
            accessKeySecret: e.SMS_ACCESS_KEY_SECRET!,
            signName: e.SMS_SIGN_NAME!,
            codeTemplate: e.SMS_CODE_TEMPLATE!,
            noticeTemplate: e.SMS_NOTICE_TEMPLATE!,
          }
        : { provider: e.SMS_PROVIDER ?? (e.NODE_ENV === 'production' ? 'off' : 'log'), timeoutMs: e.SMS_TIMEOUT_MS },
  }
}

/** Nest injection token for the validated config. */
export const APP_CONFIG = Symbol('APP_CONFIG')
