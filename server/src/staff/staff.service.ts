import { Injectable } from '@nestjs/common'
import { hash } from '@node-rs/argon2'
import type { Role } from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import { Membership } from './membership.entity'
import { Staff } from './staff.entity'

@Injectable()
export class StaffService {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    input: { name: string; phone: string; password: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Staff> {
    const repo = manager.getRepository(Staff)
    const passwordHash = await hash(input.password)
    return repo.save(repo.create({ name: input.name, phone: input.phone, passwordHash, active: true }))
  }

  async addMembership(
    input: { staffId: string; placeId: string; role: Role },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Membership> {
    const repo = manager.getRepository(Membership)
    return repo.save(repo.create(input))
  }
}
