import { Inject, Injectable } from '@nestjs/common'
import type { Session } from '@mq/shared'
import { AuthService } from '../auth/auth.service'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ResidentsService } from '../residents/residents.service'
import { DEMO_RESIDENT } from './demo-data'

/** One-tap login as the seeded demo resident, so a demo needs no WeChat and no phone. Demo mode only. */
@Injectable()
export class DemoLoginService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly residents: ResidentsService,
    private readonly auth: AuthService,
  ) {}

  async residentLogin(): Promise<Session> {
    // Outside demo mode the route does not exist, as far as any caller can tell.
    if (!this.config.demo) throw new DomainError('ROUTE_NOT_FOUND', '没有这个接口')
    const resident = await this.residents.findByOpenid(DEMO_RESIDENT.openid)
    if (!resident) throw new DomainError('ROUTE_NOT_FOUND', '演示数据尚未生成')
    return this.auth.residentSession(resident)
  }
}
