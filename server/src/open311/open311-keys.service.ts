import { Injectable } from '@nestjs/common'
import {
  scopeOf,
  type CreateOpen311KeyInput,
  type IssuedOpen311Key,
  type Open311KeyList,
  type Open311KeyView,
  type PlaceKind,
} from '@mq/shared'
import { createHash, randomBytes } from 'node:crypto'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { Open311Error } from './open311.errors'
import { Open311ApiKey } from './open311-key.entity'

const KEY_PREFIX = 'mq311_'
/** `mq311_` and 192 random bits in base64url. */
const KEY_PATTERN = /^mq311_[A-Za-z0-9_-]{32}$/
/** A key files into compounds: it sits at a compound or at a level above one. */
const KEY_PLACE_KINDS: readonly PlaceKind[] = ['district', 'street', 'community', 'compound']

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** A key that may file: the compounds it may file into are those under its place. */
export interface AuthenticatedKey {
  id: string
  name: string
  placeId: string
}

/**
 * Partner API keys (Open311): admins issue one per partner for a place under their own
 * `manage_places` memberships, list and revoke the keys of their places; anything outside is 404.
 */
@Injectable()
export class Open311KeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  async list(admin: StaffPrincipal): Promise<Open311KeyList> {
    const keys = await this.inScope(admin).orderBy('k.created_at', 'DESC').addOrderBy('k.id').getMany()
    return { keys: await Promise.all(keys.map((k) => this.view(k))) }
  }

  /** A new key for `placeId`; its secret is in this answer and nowhere else (only its hash is kept). */
  async issue(admin: StaffPrincipal, input: CreateOpen311KeyInput): Promise<IssuedOpen311Key> {
    const place = await this.places.get(input.placeId)
    const scope = scopeOf(admin.memberships, 'manage_places')
    if (!place.path.some((id) => scope.includes(id)))
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    if (place.retiredAt) throw new DomainError('CONFLICT', `「${place.name}」已停用`)
    if (!KEY_PLACE_KINDS.includes(place.kind)) {
      throw new DomainError('VALIDATION_FAILED', '密钥只能发给小区或小区以上的地点（社区、街道、区）', [
        { path: 'placeId', message: '请选择小区、社区、街道或区' },
      ])
    }
    const apiKey = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`
    const repo = this.dataSource.getRepository(Open311ApiKey)
    const key = await repo.save(
      repo.create({
        name: input.name,
        placeId: place.id,
        keyHash: hashKey(apiKey),
        keyPrefix: apiKey.slice(0, KEY_PREFIX.length + 4),
        createdByStaffId: admin.staffId,
        createdAt: this.clock.now(),
        revokedAt: null,
        revokedByStaffId: null,
        lastUsedAt: null,
      }),
    )
    return { ...(await this.view({ ...key, place, createdBy: { name: admin.name } })), apiKey }
  }

  /** Revokes at once: the next request with the key is refused (403). Revoking twice changes nothing. */
  async revoke(admin: StaffPrincipal, id: string): Promise<Open311KeyView> {
    const key = await this.inScope(admin).andWhere('k.id = :id', { id }).getOne()
    if (!key) throw new DomainError('API_KEY_NOT_FOUND', '找不到这个密钥')
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now()
      key.revokedByStaffId = admin.staffId
      await this.dataSource
        .getRepository(Open311ApiKey)
        .update(key.id, { revokedAt: key.revokedAt, revokedByStaffId: admin.staffId })
    }
    return this.view(key)
  }

  /** The key a partner sent, if it exists and is not revoked; otherwise GeoReport's 403. */
  async authenticate(apiKey: string | undefined): Promise<AuthenticatedKey> {
    if (!apiKey) throw new Open311Error(403, '缺少 api_key：请向社区管理员申请')
    const key = KEY_PATTERN.test(apiKey)
      ? await this.dataSource.getRepository(Open311ApiKey).findOneBy({ keyHash: hashKey(apiKey) })
      : null
    if (!key || key.revokedAt) throw new Open311Error(403, 'api_key 无效或已被撤销')
    return { id: key.id, name: key.name, placeId: key.placeId }
  }

  /** Records a use, inside the filing's transaction. */
  async touch(manager: EntityManager, keyId: string, at: Date): Promise<void> {
    await manager.getRepository(Open311ApiKey).update(keyId, { lastUsedAt: at })
  }

  private inScope(admin: StaffPrincipal) {
    return this.dataSource
      .getRepository(Open311ApiKey)
      .createQueryBuilder('k')
      .innerJoinAndSelect('k.place', 'p')
      .leftJoinAndSelect('k.createdBy', 's')
      .where('p.path && :scope::uuid[]', { scope: scopeOf(admin.memberships, 'manage_places') })
  }

  private async view(
    key: Omit<Open311ApiKey, 'place' | 'createdBy'> & { place?: Place; createdBy?: { name: string } },
  ): Promise<Open311KeyView> {
    const place = key.place ?? (await this.places.get(key.placeId))
    const compounds = await this.places.compoundsUnder([place.id])
    return {
      id: key.id,
      name: key.name,
      place: { id: place.id, kind: place.kind, name: place.name },
      prefix: key.keyPrefix,
      jurisdictions: compounds.map((c) => ({ id: c.id, name: c.name })),
      createdAt: key.createdAt.toISOString(),
      createdBy: key.createdBy?.name ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    }
  }
}
