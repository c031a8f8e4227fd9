import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common'
import { Reflector } from '@nestjs/core'
import { can } from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { DomainError } from '../common/domain-error'
import { ACCESS_RULE, type AccessRule } from './access.decorators'
import { AuthService } from './auth.service'
import type { Principal } from './principal'

/**
 * Global guard: every route declares who may call it (access.decorators.ts). Missing declaration →
 * refused, so forgetting one fails closed. The guard checks who the caller is and what their roles allow;
 * where (which compound) is the service's check, answered with 404 outside the caller's scope.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name)

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ])
    if (!rule) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule`)
      throw new DomainError('INTERNAL', '服务器出错了，请稍后再试')
    }
    if (rule.kind === 'public') return true
    const request = context.switchToHttp().getRequest<FastifyRequest>()
    const token = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '')?.[1]
    if (!token) throw new DomainError('UNAUTHENTICATED', '请先登录')
    const principal = await this.auth.authenticate(token)
    request.principal = principal
    if (!admits(rule, principal)) throw new DomainError('FORBIDDEN', '没有权限进行此操作')
    return true
  }
}

function admits(rule: Exclude<AccessRule, { kind: 'public' }>, principal: Principal): boolean {
  switch (rule.kind) {
    case 'authenticated': {
      const action = rule.staffAction
      return (
        principal.kind === 'resident' ||
        action === null ||
        principal.memberships.some((m) => can(m.role, action))
      )
    }
    case 'resident':
      return principal.kind === 'resident'
    case 'staff': {
      const action = rule.action
      return (
        principal.kind === 'staff' &&
        (action === null || principal.memberships.some((m) => can(m.role, action)))
      )
    }
  }
}
