import { Inject, Injectable } from '@nestjs/common'
import { InjectRepository } from '@nestjs/typeorm'
import {
  HANDLER_ROLES,
  OPEN_STATES,
  ROLE_LABELS,
  SERVICE_PROMISE,
  type HandlerRole,
  type ScanView,
} from '@mq/shared'
import { randomBytes } from 'node:crypto'
import { DataSource, In, IsNull, Repository, type EntityManager } from 'typeorm'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { Place } from './place.entity'
import { QrCode } from './qr-code.entity'

/** A unit with its building and compound, as filing and scanning need them. */
export interface UnitContext {
  unit: Place
  building: Place
  compound: Place
}

/** 96 random bits, URL-safe: unguessable and short enough for a small QR code. */
export function newQrToken(): string {
  return randomBytes(12).toString('base64url')
}

@Injectable()
export class PlacesService {
  constructor(
    @InjectRepository(QrCode) private readonly qrCodes: Repository<QrCode>,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates a place under `parent` (or a root district), keeping `path` right. */
  async create(
    input: { kind: Place['kind']; name: string; parent: Place | null; sortOrder?: number },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Place> {
    const repo = manager.getRepository(Place)
    const place = repo.create({
      kind: input.kind,
      name: input.name,
      parentId: input.parent?.id ?? null,
      sortOrder: input.sortOrder ?? 0,
      path: [],
    })
    await repo.save(place)
    place.path = [...(input.parent?.path ?? []), place.id]
    await repo.update(place.id, { path: place.path })
    return place
  }

  async issueQrToken(unitId: string, manager: EntityManager = this.dataSource.manager): Promise<QrCode> {
    const repo = manager.getRepository(QrCode)
    return repo.save(repo.create({ token: newQrToken(), unitId, revokedAt: null }))
  }

  async unitContext(unitId: string, manager: EntityManager = this.dataSource.manager): Promise<UnitContext> {
    const unit = await manager.getRepository(Place).findOneBy({ id: unitId, kind: 'unit', retiredAt: IsNull() })
    if (!unit) throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元')
    const [compoundId, buildingId] = unit.path.slice(-3, -1)
    const ancestors = await manager.getRepository(Place).findBy({ id: In([compoundId, buildingId]) })
    const building = ancestors.find((p) => p.id === buildingId)
    const compound = ancestors.find((p) => p.id === compoundId)
    if (!building || !compound) throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元所在的小区')
    return { unit, building, compound }
  }

  /** The unit behind a QR token; unknown → 404, replaced → 410. */
  async unitByToken(token: string): Promise<UnitContext & { qr: QrCode }> {
    const qr = await this.qrCodes.findOneBy({ token })
    if (!qr) throw new DomainError('QR_NOT_FOUND', '这个二维码无效，请扫描楼道里张贴的二维码')
    if (qr.revokedAt) {
      throw new DomainError('QR_REPLACED', `这个二维码已更换，请扫描新张贴的二维码，或拨打 ${this.config.hotline}`)
    }
    return { qr, ...(await this.unitContext(qr.unitId)) }
  }

  async scanView(token: string): Promise<ScanView> {
    const { unit, building, compound } = await this.unitByToken(token)
    const [handlers, open] = await Promise.all([
      this.dataSource.query<{ role: HandlerRole; name: string }[]>(
        `SELECT DISTINCT ON (m.role) m.role, s.name
           FROM membership m JOIN staff s ON s.id = m.staff_id AND s.active
           JOIN place p ON p.id = m.place_id
          WHERE m.place_id = ANY($1) AND m.role = ANY($2)
          ORDER BY m.role, array_length(p.path, 1) DESC, m.created_at`,
        [[unit.id, building.id, compound.id], [...HANDLER_ROLES]],
      ),
      this.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM ticket WHERE building_id = $1 AND state = ANY($2)`,
        [building.id, [...OPEN_STATES]],
      ),
    ])
    const order = (role: HandlerRole) => HANDLER_ROLES.indexOf(role)
    return {
      token,
      unit: { id: unit.id, name: unit.name },
      building: { id: building.id, name: building.name },
      compound: { id: compound.id, name: compound.name },
      handlers: handlers
        .sort((a, b) => order(a.role) - order(b.role))
        .map((h) => ({ role: h.role, roleLabel: ROLE_LABELS[h.role], displayName: h.name })),
      servicePromise: SERVICE_PROMISE,
      hotline: this.config.hotline,
      openInBuilding: open[0]?.n ?? 0,
    }
  }
}
