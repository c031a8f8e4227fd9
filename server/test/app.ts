import 'reflect-metadata'
import { Module, type ModuleMetadata } from '@nestjs/common'
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { TypeOrmModule } from '@nestjs/typeorm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import type { IncomingMessage } from 'node:http'
import { Logger, LoggerModule } from 'nestjs-pino'
import { ZodValidationPipe } from 'nestjs-zod'
import { DataSource } from 'typeorm'
import { AbuseModule } from '../src/abuse/abuse.module'
import { acceptStrictBodies, refuseUnstorableText } from '../src/abuse/strict-bodies'
import { AuthModule } from '../src/auth/auth.module'
import { AllExceptionsFilter, sendClientError, sendError } from '../src/common/exception.filter'
import { acceptSheetUploads } from '../src/common/sheet-upload'
import { HealthModule } from '../src/health/health.module'
import { trackConnections } from '../src/health/drain'
import { Lifecycle } from '../src/health/lifecycle'
import { isOpen311Url, sendOpen311Error } from '../src/open311/open311.errors'
import { CommonModule } from '../src/common/common.module'
import { loggerOptions, withoutBootChatter } from '../src/common/logging'
import { loadConfig, type AppConfig } from '../src/config/config'
import { ConfigModule } from '../src/config/config.module'
import { dataSourceOptions } from '../src/database/data-source'
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

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

/** As `createApp`: a well-formed X-Request-Id the caller sent, or a fresh one. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/** As `createApp`: GeoReport's error shape under /open311, the product's elsewhere. */
function sendAnyError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isOpen311Url(request.url)) sendOpen311Error(error, request, reply)
  else sendError(error, request, reply)
}

/**
 * Only the given Nest modules (and what they import) on the test database, with what every module may
 * use, as AppModule provides it globally: the configuration, the logger, the database, the clock, the
 * abuse limits and the instance's lifecycle. A spec that calls services needs nothing more
 * (`startTestModule({ imports: [PlacesModule] })`); one that sends requests asks for `http: true` and gets
 * the product's guard, pipe, filter and Fastify hooks around only those modules' routes.
 *
 * The HTTP wiring repeats `createApp`'s (src/bootstrap.ts) without the H5 files and the whole AppModule:
 * keep the two in step. The specs that test the whole app's wiring (the error shape, the web routes, the
 * OpenAPI document, the route matrix) boot it through `startTestApp`, so a drift shows there.
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
  const adapter = new FastifyAdapter(
    http
      ? {
          genReqId: requestId,
          bodyLimit: 1024 * 1024,
          trustProxy: config.trustProxy,
          return503OnClosing: false,
          frameworkErrors: sendAnyError,
          clientErrorHandler: sendClientError,
        }
      : {},
  )
  const app = await NestFactory.create<NestFastifyApplication>(ModuleUnderTest, adapter, {
    bufferLogs: true,
    abortOnError: false,
  })
  app.useLogger(withoutBootChatter(app.get(Logger)))
  if (http) {
    const fastify = app.getHttpAdapter().getInstance()
    acceptSheetUploads(fastify)
    fastify.setErrorHandler((error, request, reply) => sendAnyError(error, request, reply))
    fastify.addHook('onSend', async (request, reply) => {
      void reply.header('x-request-id', request.id)
    })
    refuseUnstorableText(fastify)
    trackConnections(fastify, app.get(Lifecycle))
    if (options.openApi) {
      const { setupOpenApi } = load('../src/openapi/openapi') as typeof OpenApi
      setupOpenApi(app, config.version)
    }
  }
  await app.init()
  if (http) acceptStrictBodies(app.getHttpAdapter().getInstance())
  app.flushLogs()
  const dataSource = app.get(DataSource)
  const dir = recordingDir()
  if (http && dir) recordResponses(app, dataSource, dir)
  return { app, dataSource, close: () => app.close() }
}
