import 'reflect-metadata'
import { Module, type ModuleMetadata } from '@nestjs/common'
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { TypeOrmModule } from '@nestjs/typeorm'
import { createRequire } from 'node:module'
import { Logger, LoggerModule } from 'nestjs-pino'
import { ZodValidationPipe } from 'nestjs-zod'
import { DataSource } from 'typeorm'
import { AbuseModule } from '../src/abuse/abuse.module'
import { AuthModule } from '../src/auth/auth.module'
import { AllExceptionsFilter } from '../src/common/exception.filter'
import { HealthModule } from '../src/health/health.module'
import { CommonModule } from '../src/common/common.module'
import { loggerOptions, withoutBootChatter } from '../src/common/logging'
import { loadConfig, type AppConfig } from '../src/config/config'
import { ConfigModule } from '../src/config/config.module'
import { dataSourceOptions } from '../src/database/data-source'
import { productAdapter, wireAfterInit, wireBeforeInit } from '../src/http-wiring'
import type * as Bootstrap from '../src/bootstrap'
import type * as OpenApi from '../src/openapi/openapi'
import { recordingDir, recordResponses } from './security/recorder'

/** The whole app and the OpenAPI document load on use: a spec booting some modules needs neither. */
const load = createRequire(__filename)

export function testDatabaseUrl(): string {
  const url = process.env.MQ_TEST_DATABASE_URL
  if (!url) throw new Error('MQ_TEST_DATABASE_URL is not set: run the server tests through jest (global setup)')
  return url
}

/** Abuse limits out of the way: every request of a run comes from 127.0.0.1 and shares the counters. */
const GENEROUS_LIMITS = Object.fromEntries(
  [
    'STAFF_LOGIN_PER_IP',
    'STAFF_LOGIN_PER_ACCOUNT',
    'RESIDENT_LOGIN_PER_IP',
    'FILING_PER_PERSON',
    'FILING_PER_IP',
    'CHASE_PER_PERSON',
    'CHASE_PER_IP',
    'UPLOAD_PER_PERSON',
    'UPLOAD_PER_IP',
    'SMS_CODE_PER_IP',
    'SMS_CODE_PER_PERSON',
    'SMS_VERIFY_PER_IP',
  ].map((name) => [`RATE_LIMIT_${name}`, '1000000/1s']),
)

/** With a recording directory (global setup), apps log at info into it for the personal-data scan. */
function logging(): Record<string, string> {
  const dir = recordingDir()
  return dir ? { LOG_LEVEL: 'info', LOG_FILE: `${dir}/app-${process.pid}.log` } : { LOG_LEVEL: 'silent' }
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    ...logging(),
    ...GENEROUS_LIMITS,
    DATABASE_URL: testDatabaseUrl(),
    H5_DIST: '/nonexistent-h5-dist',
    PUBLIC_URL: 'http://mq.test',
    ...env,
  })
}

export interface TestApp {
  app: NestFastifyApplication
  dataSource: DataSource
  close(): Promise<void>
}

/** The real application on the test database; requests go through Fastify's inject (no sockets). */
export async function startTestApp(env: Record<string, string> = {}, databaseUrl = testDatabaseUrl()): Promise<TestApp> {
  // Loaded here, not at the top: a spec that boots some modules only need not load the whole app.
  const { createApp } = load('../src/bootstrap') as typeof Bootstrap
  const app = await createApp(testConfig(env), databaseUrl)
  // createApp buffers Nest's own log lines until listen(), which tests never call: without this they
  // (startup lines, 5xx error lines) would pile up in memory and never reach the logger or the scan.
  app.flushLogs()
  const dataSource = app.get(DataSource)
  const dir = recordingDir()
  if (dir) recordResponses(app, dataSource, dir)
  return { app, dataSource, close: () => app.close() }
}

/** What a spec may import into `startTestModule`: modules, as in a Nest module's `imports`. */
type Importable = NonNullable<ModuleMetadata['imports']>[number]

export interface TestModuleOptions {
  /** The modules under test; what they import comes with them. */
  imports: Importable[]
  /**
   * The product's HTTP handling, for a spec that sends requests (`t.app.inject`): the global guard
   * (AuthModule: every route declares who may call it), the validation pipe, the error filter and the
   * Fastify hooks `createApp` adds (request ids, error shapes, strict bodies, uploads, connection
   * tracking). Without it the modules run on a Nest application that no request reaches.
   */
  http?: boolean
  /** The OpenAPI document at /api/openapi.json, of the booted modules' routes only (implies `http`). */
  openApi?: boolean
  env?: Record<string, string>
  databaseUrl?: string
}

/**
 * Only the given Nest modules (and what they import) on the test database, with what every module may
 * use, as AppModule provides it globally: the configuration, the logger, the database, the clock, the
 * abuse limits and the instance's lifecycle. A spec that calls services needs nothing more
 * (`startTestModule({ imports: [PlacesModule] })`); one that sends requests asks for `http: true` and gets
 * the product's guard, pipe, filter and Fastify hooks around only those modules' routes.
 *
 * The HTTP wiring is the application's own (src/http-wiring.ts, as `createApp` uses it), without the H5
 * files and the whole AppModule. The specs that test the whole app's wiring (the error shape, the web
 * routes, the OpenAPI document, the route matrix) boot it through `startTestApp`.
 */
export async function startTestModule(options: TestModuleOptions): Promise<TestApp> {
  const http = options.http === true || options.openApi === true
  const config = testConfig(options.env)
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot(loggerOptions(config)),
      TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl ?? testDatabaseUrl())),
      CommonModule,
      AbuseModule,
      HealthModule,
      // The global AuthGuard (APP_GUARD) comes with AuthModule.
      ...(http ? [AuthModule] : []),
      ...options.imports,
    ],
    providers: http
      ? [
          { provide: APP_PIPE, useClass: ZodValidationPipe },
          { provide: APP_FILTER, useClass: AllExceptionsFilter },
        ]
      : [],
  })
  class ModuleUnderTest {}
  // A Nest application on Fastify either way: some modules (photos) register Fastify plugins at init.
  const adapter = http ? productAdapter(config) : new FastifyAdapter()
  const app = await NestFactory.create<NestFastifyApplication>(ModuleUnderTest, adapter, {
    bufferLogs: true,
    abortOnError: false,
  })
  app.useLogger(withoutBootChatter(app.get(Logger)))
  if (http) {
    wireBeforeInit(app)
    if (options.openApi) {
      const { setupOpenApi } = load('../src/openapi/openapi') as typeof OpenApi
      setupOpenApi(app, config.version)
    }
  }
  await app.init()
  if (http) wireAfterInit(app)
  app.flushLogs()
  const dataSource = app.get(DataSource)
  const dir = recordingDir()
  if (http && dir) recordResponses(app, dataSource, dir)
  return { app, dataSource, close: () => app.close() }
}
