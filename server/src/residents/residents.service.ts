import { Injectable } from '@nestjs/common'
import { InjectRepository } from '@nestjs/typeorm'
import type { Me, UpdateMeInput } from '@mq/shared'
import { createHash } from 'node:crypto'
import { Repository, type EntityManager } from 'typeorm'
import { DomainError } from '../common/domain-error'
import { Resident } from './resident.entity'

@Injectable()
export class ResidentsService {
  constructor(@InjectRepository(Resident) private readonly residents: Repository<Resident>) {}

  /** The resident behind a WeChat openid, created on first login. */
  async findOrCreateByOpenid(openid: string): Promise<Resident> {
    return this.findOrCreate({ openid })
  }

  /** The resident of an H5 device: the same secret always finds the same resident. */
  async findOrCreateByDevice(deviceSecret: string): Promise<Resident> {
    return this.findOrCreate({ deviceSecretHash: createHash('sha256').update(deviceSecret).digest('hex') })
  }

  async findByOpenid(openid: string): Promise<Resident | null> {
    return this.residents.findOneBy({ openid })
  }

  /** The resident's WeChat openid: null for an H5-only resident, or one that no longer exists. */
  async openidOf(id: string): Promise<string | null> {
    const resident = await this.residents.findOne({ where: { id }, select: { id: true, openid: true } })
    return resident?.openid ?? null
  }

  async get(id: string): Promise<Resident> {
    const resident = await this.residents.findOneBy({ id })
    if (!resident) throw new DomainError('UNAUTHENTICATED', '登录已失效，请重新登录')
    return resident
  }

  /** A resident known by openid, with a name and phone (the demo's resident), in `manager`'s transaction. */
  async createWithOpenid(
    input: { openid: string; name: string; phone: string },
    manager: EntityManager = this.residents.manager,
  ): Promise<Resident> {
    const repo = manager.getRepository(Resident)
    return repo.save(repo.create({ ...input, deviceSecretHash: null }))
  }

  async update(id: string, input: UpdateMeInput): Promise<Resident> {
    const changes: Partial<Pick<Resident, 'phone' | 'name'>> = {}
    if (input.phone !== undefined) changes.phone = input.phone
    if (input.name !== undefined) changes.name = input.name
    if (Object.keys(changes).length > 0) await this.residents.update(id, changes)
    return this.get(id)
  }

  /** Their own data, so never masked. */
  toMe(resident: Resident): Me {
    return {
      kind: 'resident',
      id: resident.id,
      name: resident.name,
      phone: resident.phone,
      via: resident.openid ? 'wechat' : 'device',
    }
  }

  /** Insert-or-find that survives two first logins racing (a double tap, two tabs). */
  private async findOrCreate(key: { openid: string } | { deviceSecretHash: string }): Promise<Resident> {
    await this.residents
      .createQueryBuilder()
      .insert()
      .values({ openid: null, deviceSecretHash: null, name: null, phone: null, ...key })
      .orIgnore()
      .execute()
    return this.residents.findOneByOrFail(key)
  }
}
