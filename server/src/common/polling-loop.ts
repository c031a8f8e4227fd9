import type { Logger } from '@nestjs/common'

/**
 * Runs `pass` every `intervalMs` in the background, one pass at a time; again at once while a pass
 * reports more work waiting. `stop()` ends the loop and waits for the pass under way, so nothing still
 * uses the database pool when the application closes it. A failed pass (the database away, say) is
 * logged and tried again next time.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopped = true

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<boolean>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    // A random first delay, so instances started together do not sweep in lockstep.
    this.schedule(Math.floor(Math.random() * this.intervalMs))
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null
      this.running = this.tick()
    }, delayMs)
  }

  private async tick(): Promise<void> {
    let more = false
    try {
      more = await this.pass()
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        `${this.name}: pass failed`,
      )
    }
    this.running = null
    if (!this.stopped) this.schedule(more ? 0 : this.intervalMs)
  }
}
