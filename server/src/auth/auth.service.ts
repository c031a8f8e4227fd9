import { Injectable } from '@nestjs/common'
import type { ChangePasswordInput, Me, Session, UpdateMeInput } from '@mq/shared'
import { DomainError } from '../common/domain-error'
import { ResidentsService } from '../residents/residents.service'
import type { Resident } from '../residents/resident.entity'
import { StaffService } from '../staff/staff.service'
import { WechatClient } from '../wechat/wechat.client'
import type { Principal, ResidentPrincipal, StaffPrincipal } from './principal'
import { TokenService } from './token.service'

const SIGNED_OUT = '登录已失效，请重新登录'

/** Logins of every kind, and who a bearer token belongs to. */
@Injectable()
export class AuthService {
  constructor(
    private readonly tokens: TokenService,
    private readonly staff: StaffService,
    private readonly residents: ResidentsService,
    private readonly wechat: WechatClient,
  ) {}

  /** Mini-app: wx.login's code → openid (code2Session) → this product's own session. */
  async wechatLogin(code: string): Promise<Session> {
    const { openid } = await this.wechat.code2Session(code)
    return this.residentSession(await this.residents.findOrCreateByOpenid(openid))
  }

  /** H5: the device's own secret is its identity. */
  async deviceLogin(deviceSecret: string): Promise<Session> {
    return this.residentSession(await this.residents.findOrCreateByDevice(deviceSecret))
  }

  async residentSession(resident: Resident): Promise<Session> {
    const pair = await this.tokens.startSession({ kind: 'resident', residentId: resident.id })
    return { ...pair, me: this.residents.toMe(resident) }
  }

  async staffLogin(phone: string, password: string): Promise<Session> {
    const staff = await this.staff.verifyLogin(phone, password)
    const scope = await this.staff.scope(staff.id)
    if (!scope) throw new DomainError('ACCOUNT_DISABLED', '该账号已停用，请联系社区管理员')
    const pair = await this.tokens.startSession({ kind: 'staff', staffId: staff.id })
    return { ...pair, me: this.staff.toMe(scope.staff, scope.memberships) }
  }

  /**
   * The caller behind an access token, loaded fresh on every request (one statement): a revoked session
   * or deactivated account is refused at once, and membership changes apply to the next request.
   */
  async authenticate(accessToken: string): Promise<Principal> {
    const claims = await this.tokens.verifyAccess(accessToken)
    if (claims.kind === 'resident') {
      const session = await this.tokens.activeSession(claims)
      if (!session) throw new DomainError('UNAUTHENTICATED', SIGNED_OUT)
      return { kind: 'resident', sessionId: session.id, residentId: claims.sub }
    }
    const scope = await this.staff.signedIn(claims.sub, claims.sid)
    if (!scope) throw new DomainError('UNAUTHENTICATED', SIGNED_OUT)
    const { staff, memberships } = scope
    return {
      kind: 'staff',
      sessionId: claims.sid,
      staffId: staff.id,
      name: staff.name,
      phone: staff.phone,
      memberships,
    }
  }

  async me(principal: Principal): Promise<Me> {
    if (principal.kind === 'staff') {
      return this.staff.toMe(
        { id: principal.staffId, name: principal.name, phone: principal.phone },
        principal.memberships,
      )
    }
    return this.residents.toMe(await this.residents.get(principal.residentId))
  }

  async updateResident(principal: ResidentPrincipal, input: UpdateMeInput): Promise<Me> {
    return this.residents.toMe(await this.residents.update(principal.residentId, input))
  }

  /** A new password ends every other session of the account (someone else may have had the old one). */
  async changeStaffPassword(principal: StaffPrincipal, input: ChangePasswordInput): Promise<void> {
    await this.staff.changePassword(principal.staffId, input.currentPassword, input.newPassword)
    await this.tokens.revokeStaffSessions(principal.staffId, 'password_changed', {
      except: principal.sessionId,
    })
  }

  async logout(principal: Principal): Promise<void> {
    await this.tokens.revokeSession(principal.sessionId, 'logout')
  }
}
