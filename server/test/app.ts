import 'reflect-metadata'
import type { NestFastifyApplication } from '@nestjs/platform-fastify'
import { DataSource } from 'typeorm'
import { createApp } from '../src/bootstrap'
import { loadConfig, type AppConfig } from '../src/config/config'

export function testDatabaseUrl(): string {
  const url = process.env.MQ_TEST_DATABASE_URL
  if (!url) throw new Error('MQ_TEST_DATABASE_URL is not set: run the server tests through jest (global setup)')
  return url
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
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
  return { app, dataSource: app.get(DataSource), close: () => app.close() }
}
