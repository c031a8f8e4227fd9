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

/** Every environment variable the server reads, validated once at boot. */
const EnvSchema = z.object({
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
  H5_DIST: z.string().min(1).default(resolve(REPO_ROOT, 'miniapp', 'dist', 'h5')),
  DEMO: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOTLINE: z.string().default('0571-12345'),
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
  version: string
}

export class ConfigError extends Error {}

/** Reads and checks the environment; throws ConfigError with one line naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue.path[0])
    const got = env[name] === undefined ? '' : ` (got "${env[name]}")`
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
    version: process.env.npm_package_version ?? '0.1.0',
  }
}

/** Nest injection token for the validated config. */
export const APP_CONFIG = Symbol('APP_CONFIG')
