import { Body, Controller, HttpCode, Post } from '@nestjs/common'
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger'
import { ErrorBodySchema, SessionSchema, TokenPairSchema, type Session, type TokenPair } from '@mq/shared'
import { Throttled } from '../abuse/throttled'
import { zodSchema } from '../openapi/zod-schema'
import { Authenticated, CurrentPrincipal, Public } from './access.decorators'
import { DeviceLoginDto, RefreshDto, StaffLoginDto, WechatLoginDto } from './auth.dto'
import { AuthService } from './auth.service'
import type { Principal } from './principal'
import { TokenService } from './token.service'

const errorBody = { schema: zodSchema(ErrorBodySchema) }

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  /** Mini-app login: the code from wx.login(). */
  @Post('wechat')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ schema: zodSchema(SessionSchema) })
  @ApiUnauthorizedResponse({ description: 'WECHAT_CODE_INVALID: call wx.login() again', ...errorBody })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: WeChat quota; see Retry-After', ...errorBody })
  @ApiServiceUnavailableResponse({
    description: 'UPSTREAM_UNAVAILABLE: WeChat busy or unreachable; see Retry-After',
    ...errorBody,
  })
  @Throttled('residentLogin')
  wechat(@Body() body: WechatLoginDto): Promise<Session> {
    return this.auth.wechatLogin(body.code)
  }

  /** Browser (H5) login: a random secret the browser generated and keeps; same secret, same resident. */
  @Post('device')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ schema: zodSchema(SessionSchema) })
  @Throttled('residentLogin')
  device(@Body() body: DeviceLoginDto): Promise<Session> {
    return this.auth.deviceLogin(body.deviceSecret)
  }

  /** Staff login; the 5th failure in a row locks the account for 15 minutes (423, Retry-After). */
  @Post('staff/login')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ schema: zodSchema(SessionSchema) })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS', ...errorBody })
  @Throttled('staffLogin')
  staffLogin(@Body() body: StaffLoginDto): Promise<Session> {
    return this.auth.staffLogin(body.phone, body.password)
  }

  /** A new token pair for a refresh token; each refresh token works once. */
  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ schema: zodSchema(TokenPairSchema) })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or reused refresh token', ...errorBody })
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.tokens.refresh(body.refreshToken)
  }

  /** Ends this session: its access and refresh tokens stop working at once. */
  @Post('logout')
  @HttpCode(204)
  @Authenticated()
  @ApiNoContentResponse()
  logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.auth.logout(principal)
  }
}
