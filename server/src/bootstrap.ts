import fastifyStatic from '@fastify/static'
import { Logger as NestLogger } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import type { NestFastifyApplication } from '@nestjs/platform-fastify'
import { Logger } from 'nestjs-pino'
import { existsSync } from 'node:fs'
import { AppModule } from './app.module'
import { withoutBootChatter } from './common/logging'
import type { AppConfig } from './config/config'
import { migrate } from './database/data-source'
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres'
import { DemoSeeder } from './demo/demo-seeder'
import { drain } from './health/drain'
import { setupOpenApi } from './openapi/openapi'
import { productAdapter, wireAfterInit, wireBeforeInit } from './http-wiring'

/** The Nest application on Fastify, ready to listen (or to `inject` in tests). */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), productAdapter(config), {
    bufferLogs: true,
    // Throw instead of exiting the process: callers (main, tests) decide what a failure means.
    abortOnError: false,
  })
  app.useLogger(withoutBootChatter(app.get(Logger)))
  wireBeforeInit(app)
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
  wireAfterInit(app)
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
