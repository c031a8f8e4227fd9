import 'reflect-metadata'
import type { NestFastifyApplication } from '@nestjs/platform-fastify'
import { DataSource } from 'typeorm'
import { createApp } from '../src/bootstrap'
import { loadConfig, type AppConfig } from '../src/config/config'
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
