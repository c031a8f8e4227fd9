import { Injectable } from '@nestjs/common'

/** All "now" goes through here, so tests move time instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date()
  }
}
