import { Inject, Injectable } from '@nestjs/common'
import { JwtService, TokenExpiredError } from '@nestjs/jwt'
import type { TokenPair } from '@mq/shared'
import { createHash, randomBytes } from 'node:crypto'
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm'
import { z } from 'zod'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { AuthSession, type SessionRevokeReason } from './auth-session.entity'
import { RefreshToken } from './refresh-token.entity'

export type SessionSubject = { kind: 'staff'; staffId: string } | { kind: 'resident'; residentId: string }

/** What an access token says; everything else about the caller is loaded fresh per request. */
const AccessClaimsSchema = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  kind: z.enum(['staff', 'resident']),
})
export type AccessClaims = z.infer<typeof AccessClaimsSchema>

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

const SIGNED_OUT = '登录已失效，请重新登录'

/**
 * Sessions and their tokens: a short-lived JWT for each request, and an opaque, single-use refresh
 * token stored only as a hash. One login is one session (the token family).
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session for a subject who just proved who they are. */
  async startSession(
    subject: SessionSubject,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TokenPair> {
    const repo = manager.getRepository(AuthSession)
    const session = await repo.save(
      repo.create({
        staffId: subject.kind === 'staff' ? subject.staffId : null,
        residentId: subject.kind === 'resident' ? subject.residentId : null,
        createdAt: this.clock.now(),
        revokedAt: null,
        revokedReason: null,
      }),
    )
    return this.issue(session, manager)
  }

  /**
   * Trades a refresh token for a new pair. A token already traded in means someone holds a copy: the
   * session is revoked (committed before the refusal), so the thief's copy dies with the owner's.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(
      async (manager): Promise<TokenPair | 'refused' | 'reused'> => {
        const now = this.clock.now()
        const token = await manager
          .getRepository(RefreshToken)
          .findOne({ where: { tokenHash: sha256(refreshToken) }, lock: { mode: 'pessimistic_write' } })
        if (!token) return 'refused'
        const session = await manager.getRepository(AuthSession).findOneBy({ id: token.sessionId })
        if (!session || session.revokedAt) return 'refused'
        if (token.rotatedAt) {
          await this.revokeSession(session.id, 'refresh_reuse', manager)
          return 'reused'
        }
        if (token.expiresAt <= now) return 'refused'
        await manager.getRepository(RefreshToken).update(token.id, { rotatedAt: now })
        return this.issue(session, manager)
      },
    )
    if (outcome === 'reused')
      throw new DomainError('UNAUTHENTICATED', '登录凭证已被使用过，为安全起见已退出登录，请重新登录')
    if (outcome === 'refused') throw new DomainError('UNAUTHENTICATED', SIGNED_OUT)
    return outcome
  }

  /** Checks an access token's signature and time; the session itself is checked by activeSession()
   * (residents) or with the caller's scope by StaffService.signedIn (staff). */
  async verifyAccess(accessToken: string): Promise<AccessClaims> {
    let payload: unknown
    try {
      payload = await this.jwt.verifyAsync<object>(accessToken, { clockTimestamp: this.nowSeconds() })
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new DomainError('TOKEN_EXPIRED', '登录已过期，请刷新登录')
      throw new DomainError('UNAUTHENTICATED', SIGNED_OUT)
    }
    const claims = AccessClaimsSchema.safeParse(payload)
    if (!claims.success) throw new DomainError('UNAUTHENTICATED', SIGNED_OUT)
    return claims.data
  }

  /** The session, if it exists, is not revoked, and belongs to the token's subject. */
  async activeSession(
    claims: AccessClaims,
  ): Promise<Pick<AuthSession, 'id' | 'staffId' | 'residentId'> | null> {
    // On every signed-in call: a prepared statement, no query building.
    const [session] = await this.dataSource.query<
      { id: string; staff_id: string | null; resident_id: string | null }[]
    >(prepared('SELECT id, staff_id, resident_id FROM auth_session WHERE id = $1 AND revoked_at IS NULL'), [
      claims.sid,
    ])
    if (!session) return null
    const subject = claims.kind === 'staff' ? session.staff_id : session.resident_id
    return subject === claims.sub
      ? { id: session.id, staffId: session.staff_id, residentId: session.resident_id }
      : null
  }

  async revokeSession(
    sessionId: string,
    reason: SessionRevokeReason,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(AuthSession)
      .update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now(), revokedReason: reason })
  }

  /** Ends every session of a staff member (password reset, deactivation), optionally but the caller's own. */
  async revokeStaffSessions(
    staffId: string,
    reason: SessionRevokeReason,
    options: { except?: string; manager?: EntityManager } = {},
  ): Promise<void> {
    const manager = options.manager ?? this.dataSource.manager
    await manager
      .getRepository(AuthSession)
      .update(
        { staffId, revokedAt: IsNull(), ...(options.except ? { id: Not(options.except) } : {}) },
        { revokedAt: this.clock.now(), revokedReason: reason },
      )
  }

  private async issue(session: AuthSession, manager: EntityManager): Promise<TokenPair> {
    const { accessTokenTtl, refreshTokenTtl } = this.config.auth
    const now = this.clock.now()
    const refreshToken = randomBytes(32).toString('base64url')
    await manager.getRepository(RefreshToken).insert({
      sessionId: session.id,
      tokenHash: sha256(refreshToken),
      createdAt: now,
      expiresAt: new Date(now.getTime() + refreshTokenTtl * 1000),
      rotatedAt: null,
    })
    const subject = session.staffId ?? session.residentId!
    const kind: AccessClaims['kind'] = session.staffId ? 'staff' : 'resident'
    // iat from the injectable clock, so token expiry follows the same "now" as everything else.
    const accessToken = await this.jwt.signAsync(
      { sid: session.id, kind, iat: this.nowSeconds() },
      { subject, expiresIn: accessTokenTtl },
    )
    return {
      tokenType: 'Bearer',
      accessToken,
      expiresIn: accessTokenTtl,
      refreshToken,
      refreshExpiresIn: refreshTokenTtl,
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000)
  }
}
