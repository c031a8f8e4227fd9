import fastifyStatic from '@fastify/static'
import { Logger as NestLogger } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { Logger } from 'nestjs-pino'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { acceptStrictBodies, refuseUnstorableText } from './abuse/strict-bodies'
import { AppModule } from './app.module'
import { withoutBootChatter } from './common/logging'
import { acceptSheetUploads } from './common/sheet-upload'
import { sendClientError, sendError } from './common/exception.filter'
import type { AppConfig } from './config/config'
import { migrate } from './database/data-source'
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres'
import { DemoSeeder } from './demo/demo-seeder'
import { drain, trackConnections } from './health/drain'
import { Lifecycle } from './health/lifecycle'
import { isOpen311Url, sendOpen311Error } from './open311/open311.errors'
import { setupOpenApi } from './openapi/openapi'

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/** Errors outside the controllers' own filters: GeoReport's shape under /open311, the product's elsewhere. */
function sendAnyError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isOpen311Url(request.url)) sendOpen311Error(error, request, reply)
  else sendError(error, request, reply)
}

/** The Nest application on Fastify, ready to listen (or to `inject` in tests). */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: requestId,
    bodyLimit: 1024 * 1024,
    // Whose X-Forwarded-For names the client (request.ip: per-address limits, logs): TRUST_PROXY.
    trustProxy: config.trustProxy,
    // A request on a connection accepted before the listener closed is served, not refused with 503:
    // drain() waits for it, and a balancer never repeats a POST that got an answer.
    return503OnClosing: false,
    // The router's refusals (bad % encoding in the path, a path parameter over 100 characters) in the
    // product's error shape rather than Fastify's own JSON, which carries no request id.
    frameworkErrors: sendAnyError,
    // A request Node's HTTP parser refuses (malformed, headers too large, timed out) never reaches Fastify.
    clientErrorHandler: sendClientError,
  })
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    bufferLogs: true,
    // Throw instead of exiting the process: callers (main, tests) decide what a failure means.
    abortOnError: false,
  })
  app.useLogger(withoutBootChatter(app.get(Logger)))
  const fastify = app.getHttpAdapter().getInstance()
  // CSV/XLSX uploads (staff and place imports) arrive as the raw request body.
  acceptSheetUploads(fastify)
  // Errors Fastify raises before Nest sees the request (bad JSON, unknown content type, body too large)
  // get the same shape as every other error. (Fastify warns once that this replaces Nest's handler.)
  fastify.setErrorHandler((error, request, reply) => sendAnyError(error, request, reply))
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  // NUL and lone surrogates in parameters, query or any parsed body: a 400 naming the field.
  refuseUnstorableText(fastify)
  // In-flight requests and connections, for a graceful drain on SIGTERM (health/drain.ts).
  trackConnections(fastify, app.get(Lifecycle))
  if (existsSync(config.h5Dist)) {
    // Built files get a route each; everything else falls through to WebController's index.html.
    await app.register(fastifyStatic, {
      root: config.h5Dist,
      wildcard: false,
      index: false,
      // The H5 build writes name.js.br / name.js.gz beside each script (compression-webpack-plugin):
      // sent as-is to browsers that accept them, with Vary: Accept-Encoding.
      preCompressed: true,
      // Scripts and styles carry a content hash in their names, so they never change under one URL.
      // (@fastify/static passes its reply here; `path` is the file sent, .br/.gz included.)
      setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => {
        if (/[.][0-9a-f]{8}[.](js|css)([.](br|gz))?$/.test(path)) {
          reply.header('cache-control', 'public, max-age=31536000, immutable')
        }
      },
    })
  } else {
    new NestLogger('Web').warn(`H5 build not found at ${config.h5Dist}; the web app is not served`)
  }
  setupOpenApi(app, config.version)
  await app.init()
  // After init, which registers Nest's JSON and form parsers: a body that is not UTF-8 (or, in a form, a
  // % escape that is not) is a 400, not replacement characters stored.
  acceptStrictBodies(fastify)
  return app
}

export interface RunningServer {
  app: NestFastifyApplication
  url: string
  databaseUrl: string
  embedded: boolean
  seeded: boolean
  stop(): Promise<void>
}

/** Everything `pnpm start` does: database (embedded unless DATABASE_URL), migrations, demo data, listen. */
export async function startServer(config: AppConfig): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | null = null
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.embeddedPg.dataDir,
      port: config.embeddedPg.port,
      database: 'minqing',
    })
  }
  const databaseUrl = config.databaseUrl ?? embedded!.url
  try {
    await migrate(databaseUrl)
    const app = await createApp(config, databaseUrl)
    const seeded = config.demo ? await app.get(DemoSeeder).seed() : false
    await app.listen({ port: config.port, host: config.host })
    let stopping: Promise<void> | null = null
    return {
      app,
      url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
      databaseUrl,
      embedded: embedded !== null,
      seeded,
      stop: () =>
        (stopping ??= (async () => {
          await drain(app, config.shutdown)
          // Module shutdown hooks: background jobs release what they hold; then the pool closes.
          await app.close()
          await embedded?.stop()
        })()),
    }
  } catch (error) {
    await embedded?.stop()
    throw error
  }
}
