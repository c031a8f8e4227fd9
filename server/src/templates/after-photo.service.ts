import { Injectable } from '@nestjs/common'
import {
  AFTER_PHOTO_DEFAULT_CATEGORIES,
  CATEGORY_CODES,
  type AfterPhotoSettings,
  type AfterPhotoSettingsInput,
  type CategoryCode,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { PlacesService } from '../places/places.service'
import { AfterPhotoSettingRow } from './after-photo-setting.entity'

/** In the order of the category list, whatever order they were given in. */
const inOrder = (list: readonly CategoryCode[]) => CATEGORY_CODES.filter((c) => list.includes(c))

/**
 * Which categories need an "after" photo to resolve a request whose resident sent "before" photos: the
 * defaults (公共设施报修, 环境卫生), or a compound's own list, set by admins over the compound (manage_places,
 * like its deadlines). Resolving (tickets/actions/handling.ts) asks `required`.
 */
@Injectable()
export class AfterPhotoService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  async get(admin: StaffPrincipal, compoundId: string): Promise<AfterPhotoSettings> {
    await this.places.managedCompound(admin, compoundId)
    const row = await this.dataSource.getRepository(AfterPhotoSettingRow).findOneBy({ compoundId })
    const own = row ? inOrder(row.categories) : null
    return {
      compoundId,
      defaults: inOrder(AFTER_PHOTO_DEFAULT_CATEGORIES),
      own,
      effective: own ?? inOrder(AFTER_PHOTO_DEFAULT_CATEGORIES),
      updatedAt: row?.updatedAt.toISOString() ?? null,
    }
  }

  /** Replaces the compound's list; `null` goes back to the defaults. */
  async put(admin: StaffPrincipal, compoundId: string, input: AfterPhotoSettingsInput): Promise<AfterPhotoSettings> {
    await this.places.managedCompound(admin, compoundId)
    const repo = this.dataSource.getRepository(AfterPhotoSettingRow)
    if (input.categories === null) await repo.delete({ compoundId })
    else {
      await repo.upsert(
        { compoundId, categories: inOrder(input.categories), updatedAt: this.clock.now(), updatedBy: admin.staffId },
        ['compoundId'],
      )
    }
    return this.get(admin, compoundId)
  }

  /** Whether resolving a request of `category` in the compound needs an after photo (given before photos). */
  async required(
    compoundId: string,
    category: CategoryCode,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const row = await manager.getRepository(AfterPhotoSettingRow).findOneBy({ compoundId })
    return (row ? row.categories : AFTER_PHOTO_DEFAULT_CATEGORIES).includes(category)
  }
}
