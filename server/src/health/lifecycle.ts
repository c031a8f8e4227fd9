import { Injectable } from '@nestjs/common'

/**
 * Where this instance is in its life, for the balancer: once draining begins (SIGTERM), readiness
 * answers 503 and every response asks its client to close the connection, so new work goes elsewhere
 * while the requests already here finish.
 */
@Injectable()
export class Lifecycle {
  private drainingSince: Date | null = null
  private inFlight = 0

  get draining(): boolean {
    return this.drainingSince !== null
  }

  /** Requests received and not yet answered. */
  get requestsInFlight(): number {
    return this.inFlight
  }

  beginDrain(): void {
    this.drainingSince ??= new Date()
  }

  requestStarted(): void {
    this.inFlight++
  }

  requestFinished(): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
  }
}
