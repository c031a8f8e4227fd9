import { Inject, Injectable } from '@nestjs/common'
import type { Health } from '@mq/shared'
import { DataSource } from 'typeorm'
import { APP_CONFIG, type AppConfig } from '../config/config'

const PROBE_TIMEOUT_MS = 2000

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now()

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<Health> {
    const database = (await this.databaseAnswers()) ? 'up' : 'down'
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      database,
      version: this.config.version,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    }
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
