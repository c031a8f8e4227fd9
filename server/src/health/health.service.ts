import { Inject, Injectable } from '@nestjs/common'
import type { Health } from '@mq/shared'
import { DataSource } from 'typeorm'
import { APP_CONFIG, type AppConfig } from '../config/config'
import type { Liveness, Readiness } from './health.schemas'
import { Lifecycle } from './lifecycle'

const PROBE_TIMEOUT_MS = 2000

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now()

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** The process runs and its event loop turns: nothing else is asked, so a slow database never kills it. */
  live(): Liveness {
    return { status: 'alive', version: this.config.version, uptimeSeconds: this.uptimeSeconds() }
  }

  /** Worth sending a request to: the database answers and this instance is not shutting down. */
  async ready(): Promise<Readiness> {
    const database = (await this.databaseAnswers()) ? 'up' : 'down'
    const draining = this.lifecycle.draining
    return { status: !draining && database === 'up' ? 'ready' : 'not_ready', database, draining }
  }

  async check(): Promise<Health> {
    const database = (await this.databaseAnswers()) ? 'up' : 'down'
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      database,
      version: this.config.version,
      uptimeSeconds: this.uptimeSeconds(),
    }
  }

  private uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000)
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)
    })
    const probe = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false, // any failure to answer is "down"; the status code says so
    )
    try {
      return await Promise.race([probe, timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}
