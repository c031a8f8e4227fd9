import { Inject, Injectable } from '@nestjs/common'
import {
  childKind,
  PLACE_KIND_LABELS,
  qrUrl,
  scopeOf,
  type CreatePlaceInput,
  type PlaceImportResult,
  type PlaceList,
  type PlaceView,
  type QrReissueResult,
  type UpdatePlaceInput,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { Place } from './place.entity'
import { PlacesService } from './places.service'

interface PlaceRow {
  id: string
  kind: Place['kind']
  parent_id: string | null
  name: string
  sort_order: number
  retired_at: Date | null
  token: string | null
}

function toView(row: PlaceRow): PlaceView {
  return {
    id: row.id,
    kind: row.kind,
    parentId: row.parent_id,
    name: row.name,
    sortOrder: row.sort_order,
    retired: row.retired_at !== null,
    qrToken: row.token,
  }
}

const SELECT_PLACES = `
  SELECT p.id, p.kind, p.parent_id, p.name, p.sort_order, p.retired_at, q.token
    FROM place p
    LEFT JOIN qr_code q ON q.unit_id = p.id AND q.revoked_at IS NULL`

/**
 * Admins set up the places under their `manage_places` memberships. Anything outside those
 * does not exist for them: 404, never 403, so ids of other compounds reveal nothing.
 */
@Injectable()
export class PlacesAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every place under the caller's scope, outermost first, with each unit's active QR token. */
  async list(admin: StaffPrincipal): Promise<PlaceList> {
    const rows = await this.dataSource.query<PlaceRow[]>(
      `${SELECT_PLACES} WHERE p.path && $1::uuid[] ORDER BY array_length(p.path, 1), p.sort_order, p.name`,
      [scopeOf(admin.memberships, 'manage_places')],
    )
    return { places: rows.map(toView) }
  }

  async create(admin: StaffPrincipal, input: CreatePlaceInput): Promise<PlaceView> {
    return this.dataSource.transaction(async (manager) => {
      const parent = await this.inScope(admin, input.parentId, manager)
      if (parent.retiredAt) throw new DomainError('CONFLICT', `「${parent.name}」已停用，不能在其下添加`)
      const kind = childKind(parent.kind)
      if (!kind) throw new DomainError('VALIDATION_FAILED', '单元下不能再添加地点')
      const siblings = await manager.getRepository(Place).countBy({ parentId: parent.id })
      const place = await this.places.create(
        { kind, name: input.name, parent, sortOrder: input.sortOrder ?? siblings + 1 },
        manager,
      )
      const token = kind === 'unit' ? (await this.places.issueQrToken(place.id, manager)).token : null
      return toView({ ...this.row(place), token })
    })
  }

  async update(admin: StaffPrincipal, id: string, input: UpdatePlaceInput): Promise<PlaceView> {
    const place = await this.inScope(admin, id)
    await this.dataSource.getRepository(Place).update(place.id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.sortOrder !== undefined && { sortOrder: input.sortOrder }),
    })
    return this.view(place.id)
  }

  /**
   * Retires a place and everything under it. History stays: requests keep their unit, and a retired
   * unit's QR code answers "invalid". The root of one's own membership cannot be retired (it would
   * lock the admin out of it).
   */
  async retire(admin: StaffPrincipal, id: string): Promise<PlaceView> {
    const place = await this.inScope(admin, id)
    if (admin.memberships.some((m) => m.role === 'admin' && m.placeId === place.id)) {
      throw new DomainError('FORBIDDEN', `不能停用自己负责的${PLACE_KIND_LABELS[place.kind]}`)
    }
    await this.dataSource.query(
      `UPDATE place SET retired_at = now() WHERE path @> ARRAY[$1]::uuid[] AND retired_at IS NULL`,
      [place.id],
    )
    return this.view(place.id)
  }

  async importUnits(admin: StaffPrincipal, compoundId: string, file: Buffer): Promise<PlaceImportResult> {
    const compound = await this.inScope(admin, compoundId)
    if (compound.kind !== 'compound') throw new DomainError('VALIDATION_FAILED', '只能向小区导入楼栋和单元')
    return this.places.importUnits(compound.id, file)
  }

  async reissueQr(admin: StaffPrincipal, unitId: string): Promise<QrReissueResult> {
    const unit = await this.inScope(admin, unitId)
    if (unit.kind !== 'unit') throw new DomainError('VALIDATION_FAILED', '只有单元有二维码')
    const qr = await this.places.reissueQrToken(unit.id)
    return { unitId: unit.id, token: qr.token, url: qrUrl(this.config.publicUrl, qr.token) }
  }

  private async inScope(admin: StaffPrincipal, id: string, manager?: EntityManager): Promise<Place> {
    const place = await (manager ?? this.dataSource.manager)
      .getRepository(Place)
      .createQueryBuilder('p')
      .where('p.id = :id', { id })
      .andWhere('p.path && :scope::uuid[]', { scope: scopeOf(admin.memberships, 'manage_places') })
      .getOne()
    if (!place) throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    return place
  }

  private async view(id: string): Promise<PlaceView> {
    const [row] = await this.dataSource.query<PlaceRow[]>(`${SELECT_PLACES} WHERE p.id = $1`, [id])
    return toView(row)
  }

  private row(place: Place): Omit<PlaceRow, 'token'> {
    return {
      id: place.id,
      kind: place.kind,
      parent_id: place.parentId,
      name: place.name,
      sort_order: place.sortOrder,
      retired_at: place.retiredAt,
    }
  }
}
