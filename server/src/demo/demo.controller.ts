import { Controller, HttpCode, Post } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema, SessionSchema, type Session } from '@mq/shared'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { DemoLoginService } from './demo-login.service'

@ApiTags('auth')
@Controller('api/auth')
export class DemoController {
  constructor(private readonly demo: DemoLoginService) {}

  /** Demo mode: sign in as the demo resident 李明 with one tap. Otherwise 404. */
  @Post('demo-resident')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ schema: zodSchema(SessionSchema) })
  @ApiNotFoundResponse({ description: 'Not in demo mode', schema: zodSchema(ErrorBodySchema) })
  residentLogin(): Promise<Session> {
    return this.demo.residentLogin()
  }
}
