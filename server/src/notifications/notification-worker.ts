import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common'
import { PollingLoop } from '../common/polling-loop'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { NotificationSender } from './notification-sender'

const BATCH = 10

/** Sends the outbox in the background (WORKERS, NOTIFY_INTERVAL_MS). */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    sender: NotificationSender,
  ) {
    this.loop = new PollingLoop(
      'notification sender',
      config.workers.notifyIntervalMs,
      async () => (await sender.runDue(BATCH)).claimed === BATCH,
      new Logger('Notifications'),
    )
  }

  onApplicationBootstrap(): void {
    if (this.config.workers.enabled) this.loop.start()
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop()
  }
}
