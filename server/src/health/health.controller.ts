import { Controller, Get, Res } from '@nestjs/common'
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger'
import { HealthSchema, type Health } from '@mq/shared'
import type { FastifyReply } from 'fastify'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { LivenessSchema, ReadinessSchema, type Liveness, type Readiness } from './health.schemas'
import { HealthService } from './health.service'

@ApiTags('health')
@Controller('api/health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ description: 'The API and its database answer.', schema: zodSchema(HealthSchema) })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer.', schema: zodSchema(HealthSchema) })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<Health> {
    const health = await this.health.check()
    if (health.database === 'down') void reply.status(503)
    return health
  }

  /** Liveness for a process supervisor: 200 while the process runs, draining or not, database or not. */
  @Get('live')
  @ApiOkResponse({ description: 'The process runs.', schema: zodSchema(LivenessSchema) })
  live(): Liveness {
    return this.health.live()
  }

  /** Readiness for a load balancer: 200 only when this instance should get requests. */
  @Get('ready')
  @ApiOkResponse({ description: 'The database answers and the instance is not shutting down.', schema: zodSchema(ReadinessSchema) })
  @ApiServiceUnavailableResponse({
    description: 'The database does not answer, or the instance is draining (SIGTERM received).',
    schema: zodSchema(ReadinessSchema),
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.health.ready()
    if (readiness.status !== 'ready') void reply.status(503).header('cache-control', 'no-store')
    return readiness
  }
}
