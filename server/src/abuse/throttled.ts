import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common'
import { Reflector } from '@nestjs/core'
import { ApiTooManyRequestsResponse } from '@nestjs/swagger'
import { ErrorBodySchema } from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import type { Observable } from 'rxjs'
import type { RateLimitName } from '../config/config'
import { zodSchema } from '../openapi/zod-schema'
import { RateLimitService } from './rate-limit.service'
import { THROTTLES, type Throttle } from './rate-limits'

const THROTTLE = 'mq:throttle'

/**
 * Counts each call before the handler runs (interceptors run after AuthGuard, so the caller is known;
 * before the body pipes and the multipart stream, so a refused upload is never read).
 */
@Injectable()
export class ThrottleInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const throttle = this.reflector.get<Throttle | undefined>(THROTTLE, context.getHandler())
    if (throttle) {
      const request = context.switchToHttp().getRequest<FastifyRequest>()
      const limits = THROTTLES[throttle]
      // The address, the person and the account named, counted in one statement.
      const calls: [RateLimitName, string][] = [[limits.perIp, request.ip]]
      const principal = request.principal
      if (limits.perPerson && principal) {
        const person =
          principal.kind === 'staff' ? `staff:${principal.staffId}` : `resident:${principal.residentId}`
        calls.push([limits.perPerson, person])
      }
      const phone = (request.body as { phone?: unknown } | undefined)?.phone
      if (limits.perAccount && typeof phone === 'string') calls.push([limits.perAccount, phone.trim()])
      await this.limits.consumeAll(calls)
    }
    return next.handle()
  }
}

/** The route counts against the abuse limits named (abuse/rate-limits.ts). */
export const Throttled = (throttle: Throttle) =>
  applyDecorators(
    SetMetadata(THROTTLE, throttle),
    UseInterceptors(ThrottleInterceptor),
    ApiTooManyRequestsResponse({
      description:
        'RATE_LIMITED: too many from this person or address (limits: RATE_LIMIT_*); see Retry-After',
      schema: zodSchema(ErrorBodySchema),
    }),
  )
