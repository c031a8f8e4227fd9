import { Inject, Injectable, Logger } from '@nestjs/common'
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { DataSource } from 'typeorm'
import { RateLimitService } from '../abuse/rate-limit.service'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import type { MobileCodeSent, ResidentMobileView } from './sms.dto'
import { ResidentMobile } from './resident-mobile.entity'
import { maskMobile, SMS_PROVIDER, type SmsProvider } from './sms-provider'

/** A code works this long after it is sent. */
export const CODE_TTL_MS = 5 * 60 * 1000
/** Wrong tries a code survives; the last one burns it. */
export const CODE_TRIES = 5

/**
 * Verification of a resident's mobile number by a 6-digit text message, and the verified number the
 * notices fall back to when WeChat cannot reach the resident.
 */
@Injectable()
export class SmsService {
  private readonly logger = new Logger('SMS')

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ResidentMobile)
  }

  /** Bound to the resident and the number, so a code sent to one number proves nothing about another. */
  private codeHash(residentId: string, phone: string, code: string): string {
    return createHmac('sha256', this.config.auth.tokenSecret)
      .update(`sms-code\0${residentId}\0${phone}\0${code}`)
      .digest('base64url')
  }

  async view(residentId: string): Promise<ResidentMobileView> {
    const row = await this.repo.findOneBy({ residentId })
    return { phone: row?.phone ?? null, verifiedAt: row?.verifiedAt?.toISOString() ?? null }
  }

  /** Sends a fresh code to `phone` (a new one replaces any earlier one). */
  async requestCode(residentId: string, phone: string): Promise<MobileCodeSent> {
    if (this.provider.name === 'off')
      throw new DomainError('UPSTREAM_UNAVAILABLE', '本系统未开通短信，暂不能验证手机号')
    // Per number, whoever asks: a stranger cannot flood someone's phone by asking from many accounts.
    await this.limits.consume('smsCodePerNumberMinute', `mobile:${phone}`)
    await this.limits.consume('smsCodePerNumberDay', `mobile:${phone}`)
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    const now = this.clock.now()
    const expiresAt = new Date(now.getTime() + CODE_TTL_MS)
    // Stored before sending: a code that reached the phone can always be checked.
    await this.repo.upsert(
      { residentId, codeHash: this.codeHash(residentId, phone, code), codeExpiresAt: expiresAt, codeTries: 0 },
      ['residentId'],
    )
    const outcome = await this.provider.send({ to: phone, template: 'code', params: { code } })
    if (outcome.kind !== 'sent') {
      this.logger.warn({ to: maskMobile(phone), error: outcome.error }, 'verification code not sent')
      throw new DomainError('UPSTREAM_UNAVAILABLE', '短信发送失败，请稍后再试', undefined, { 'retry-after': '60' })
    }
    const minute = this.config.rateLimits.smsCodePerNumberMinute
    return { expiresAt: expiresAt.toISOString(), resendAfter: minute ? Math.ceil(minute.seconds / minute.points) : 0 }
  }

  /** Checks the code; right, the number becomes the resident's verified number. */
  async verify(residentId: string, phone: string, code: string): Promise<ResidentMobileView> {
    const now = this.clock.now()
    // The refusal is thrown after the commit: a wrong try must count even though the call fails.
    const outcome = await this.dataSource.transaction(async (m): Promise<DomainError | ResidentMobileView> => {
      const row = await m
        .getRepository(ResidentMobile)
        .createQueryBuilder('r')
        .setLock('pessimistic_write')
        .where('r.resident_id = :residentId', { residentId })
        .getOne()
      if (!row?.codeHash || !row.codeExpiresAt)
        return codeRefused('请先获取验证码')
      if (row.codeExpiresAt <= now) {
        await m.update(ResidentMobile, { residentId }, { codeHash: null, codeExpiresAt: null, codeTries: 0 })
        return codeRefused('验证码已过期，请重新获取')
      }
      const expected = Buffer.from(row.codeHash)
      const given = Buffer.from(this.codeHash(residentId, phone, code))
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        const tries = row.codeTries + 1
        const burned = tries >= CODE_TRIES
        await m.update(
          ResidentMobile,
          { residentId },
          burned ? { codeHash: null, codeExpiresAt: null, codeTries: 0 } : { codeTries: tries },
        )
        return codeRefused(burned ? '验证码错误次数过多，请重新获取' : `验证码不对，还可以再试${CODE_TRIES - tries}次`)
      }
      await m.update(
        ResidentMobile,
        { residentId },
        { phone, verifiedAt: now, codeHash: null, codeExpiresAt: null, codeTries: 0 },
      )
      return { phone, verifiedAt: now.toISOString() }
    })
    if (outcome instanceof DomainError) throw outcome
    return outcome
  }

  /** The resident takes their number back: no more text messages. */
  async remove(residentId: string): Promise<ResidentMobileView> {
    await this.repo.update({ residentId }, { phone: null, verifiedAt: null })
    return { phone: null, verifiedAt: null }
  }

  /** The verified number notices go to, if any. */
  async verifiedNumberOf(residentId: string): Promise<string | null> {
    const row = await this.repo.findOneBy({ residentId })
    return row?.verifiedAt ? row.phone : null
  }
}

/** A refused code: the field's detail says the same sentence as the message, in the resident's words. */
function codeRefused(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [{ path: 'code', message }])
}
