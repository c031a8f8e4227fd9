import { Controller, Get, Res } from '@nestjs/common'
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger'
import { HealthSchema, type Health } from '@mq/shared'
import type { FastifyReply } from 'fastify'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
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
}
