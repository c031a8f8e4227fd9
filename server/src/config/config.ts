import { resolve } from 'node:path'
import { z } from 'zod'

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

/** Signs access tokens outside production only, so a deployment can never run on a published secret. */
const DEV_TOKEN_SECRET = 'mq-development-token-secret-never-use-in-production'

/** Variables whose values must never appear in an error message (it ends up in logs). */
const SECRET_VARS = new Set(['TOKEN_SECRET', 'WECHAT_SECRET'])

/** Every environment variable the server reads, validated once at boot. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port(3000),
    PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://mq.example.cn' }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    EMBEDDED_PG_PORT: port(54329),
    DATA_DIR: z.string().min(1).default(resolve(REPO_ROOT, '.data')),
    H5_DIST: z
      .string()
      .min(1)
      .default(resolve(REPO_ROOT, 'miniapp', 'dist', 'h5')),
    DEMO: booleanFlag.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOTLINE: z.string().default('0571-12345'),
    /** WeChat's link-rule domain check: the file name it asks for and the content it gives. */
    WECHAT_VERIFY_FILE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}\.txt$/, 'must be a file name such as abc123.txt')
      .optional(),
    WECHAT_VERIFY_CONTENT: z.string().min(1).optional(),
    TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL: duration('15m'),
    REFRESH_TOKEN_TTL: duration('30d'),
    WECHAT_API_BASE: z
      .url({ message: 'must be an absolute URL such as https://api.weixin.qq.com' })
      .default('https://api.weixin.qq.com'),
    WECHAT_APPID: z.string().min(1).optional(),
    WECHAT_SECRET: z.string().min(1).optional(),
    WECHAT_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a number of milliseconds' })
      .int('must be a whole number')
      .min(100, 'must be between 100 and 60000')
      .max(60000, 'must be between 100 and 60000')
      .default(5000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.TOKEN_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_SECRET'],
        message: 'is required in production (at least 32 random characters)',
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
  embeddedPg: { port: number; dataDir: string }
  dataDir: string
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
}

export class ConfigError extends Error {}

/** Reads and checks the environment; throws ConfigError with one line naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue.path[0])
    const got = env[name] === undefined || SECRET_VARS.has(name) ? '' : ` (got "${env[name]}")`
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
    embeddedPg: { port: e.EMBEDDED_PG_PORT, dataDir: resolve(e.DATA_DIR, 'pg') },
    dataDir: e.DATA_DIR,
    h5Dist: e.H5_DIST,
    // Demo data by default on the embedded database only; DEMO=true/false says otherwise.
    demo: e.DEMO ?? databaseUrl === null,
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
  }
}

/** Nest injection token for the validated config. */
export const APP_CONFIG = Symbol('APP_CONFIG')
