import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common'
import { PollingLoop } from '../../common/polling-loop'
import { APP_CONFIG, type AppConfig } from '../../config/config'
import { DeadlineTimersService } from './deadline-timers.service'

const SWEEP_LIMIT = 100

/** Sweeps for due deadline timers in the background (WORKERS, DEADLINE_SCAN_INTERVAL_MS). */
@Injectable()
export class DeadlineWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeadlineTimers')
  private readonly loop: PollingLoop

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    timers: DeadlineTimersService,
  ) {
    this.loop = new PollingLoop(
      'deadline timers',
      config.workers.deadlineScanIntervalMs,
      async () => {
        const sweep = await timers.runDue(SWEEP_LIMIT)
        for (const f of sweep.firings) {
          if (f.status === 'fired') {
            this.logger.log(
              { ticketId: f.ticketId, kind: f.kind, step: f.step, level: f.level, lateMs: f.lateMs },
              `${f.kind} timer fired`,
            )
          }
        }
        return sweep.found === SWEEP_LIMIT
      },
      this.logger,
    )
  }

  onApplicationBootstrap(): void {
    if (this.config.workers.enabled) this.loop.start()
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop()
  }
}
