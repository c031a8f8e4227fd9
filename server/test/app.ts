import 'reflect-metadata'
import { Module, type INestApplicationContext, type Type } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import type { NestFastifyApplication } from '@nestjs/platform-fastify'
import { TypeOrmModule } from '@nestjs/typeorm'
import { LoggerModule } from 'nestjs-pino'
import { DataSource } from 'typeorm'
import { createApp } from '../src/bootstrap'
import { CommonModule } from '../src/common/common.module'
import { loggerOptions } from '../src/common/logging'
import { loadConfig, type AppConfig } from '../src/config/config'
import { ConfigModule } from '../src/config/config.module'
import { dataSourceOptions } from '../src/database/data-source'
import { recordingDir, recordResponses } from './security/recorder'

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
  const app = await createApp(testConfig(env), databaseUrl)
  // createApp buffers Nest's own log lines until listen(), which tests never call: without this they
  // (startup lines, 5xx error lines) would pile up in memory and never reach the logger or the scan.
  app.flushLogs()
  const dataSource = app.get(DataSource)
  const dir = recordingDir()
  if (dir) recordResponses(app, dataSource, dir)
  return { app, dataSource, close: () => app.close() }
}

export interface TestModule {
  /** The modules' providers: `t.app.get(PlacesService)`. */
  app: INestApplicationContext
  dataSource: DataSource
  close(): Promise<void>
}

/**
 * Only the given Nest modules (and what they import) on the test database, with the configuration, the
 * logger and the clock every module may use: no HTTP server, guards or routes. For a spec that calls a
 * service; a spec that sends requests uses `startTestApp`.
 */
export async function startTestModule(
  modules: Type[],
  env: Record<string, string> = {},
  databaseUrl = testDatabaseUrl(),
): Promise<TestModule> {
  const config = testConfig(env)
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot(loggerOptions(config)),
      TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
      CommonModule,
      ...modules,
    ],
  })
  class ModuleUnderTest {}
  const app = await NestFactory.createApplicationContext(ModuleUnderTest, { logger: false, abortOnError: false })
  return { app, dataSource: app.get(DataSource), close: () => app.close() }
}
