import { Inject, Injectable } from '@nestjs/common'
import {
  HANDLER_ROLES,
  mayAct,
  OPEN_STATES,
  ROLE_LABELS,
  SERVICE_PROMISE,
  type HandlerRole,
  type ScanView,
} from '@mq/shared'
import { randomBytes } from 'node:crypto'
import { DataSource, In, IsNull, type EntityManager } from 'typeorm'
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata'
import type { StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import { readSheet } from '../common/spreadsheet'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { StaffService } from '../staff/staff.service'
import { Place } from './place.entity'
import { validateUnitRows } from './places-import'
import { QrCode } from './qr-code.entity'

/** A unit with its building and compound, as filing and scanning need them. */
export interface UnitContext {
  unit: Place
  building: Place
  compound: Place
}

export interface ImportSummary {
  buildingsCreated: number
  unitsCreated: number
  unitsUnchanged: number
}

/** 96 random bits, URL-safe: unguessable and short enough for a small QR code. */
export function newQrToken(): string {
  return randomBytes(12).toString('base64url')
}

/** Of an active unit `u`: its own, its building's and its compound's ids (the last three of its path). */
const LAST_THREE = 'u.path[greatest(array_length(u.path, 1) - 2, 1):]'
const ACTIVE_UNIT = `u.kind = 'unit' AND u.retired_at IS NULL`

/** The unit, building and compound among `rows` (the unit's and its ancestors'); PLACE_NOT_FOUND if missing. */
function unitContextOf(unitId: string, rows: readonly Place[]): UnitContext {
  const unit = rows.find((p) => p.id === unitId)
  if (!unit) throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元')
  const [compoundId, buildingId] = unit.path.slice(-3, -1)
  const building = rows.find((p) => p.id === buildingId && p.id !== unitId)
  const compound = rows.find((p) => p.id === compoundId && p.id !== unitId)
  if (!building || !compound) throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元所在的小区')
  return { unit, building, compound }
}

@Injectable()
export class PlacesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
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

  /** The unit (active) with its building and compound, in one statement: the unit's last three path ids. */
  async unitContext(unitId: string, manager: EntityManager = this.dataSource.manager): Promise<UnitContext> {
    const rows = await manager
      .getRepository(Place)
      .createQueryBuilder('p')
      // The array as a scalar subquery (run once), so the places are fetched by primary key.
      .where(
        `p.id = ANY((SELECT ${LAST_THREE} FROM place u WHERE u.id = :unitId AND ${ACTIVE_UNIT})::uuid[])`,
        {
          unitId,
        },
      )
      .getMany()
    return unitContextOf(unitId, rows)
  }

  /**
   * The unit behind a QR token; unknown → 404, replaced → 410. The code and the places in one statement
   * (prepared: it is on every filing and scan), a row per place, hydrated from the entities' columns.
   */
  async unitByToken(token: string): Promise<UnitContext & { qr: QrCode }> {
    const { sql, qrColumns, placeColumns } = this.unitByTokenSql()
    const rows = await this.dataSource.query<Record<string, unknown>[]>(prepared(sql), [token])
    if (rows.length === 0) throw new DomainError('QR_NOT_FOUND', '这个二维码无效，请扫描楼道里张贴的二维码')
    const qr = new QrCode()
    for (const c of qrColumns)
      (qr as unknown as Record<string, unknown>)[c.propertyName] = rows[0][`q__${c.databaseName}`]
    if (qr.revokedAt) {
      throw new DomainError(
        'QR_REPLACED',
        `这个二维码已更换，请扫描新张贴的二维码，或拨打 ${this.config.hotline}`,
      )
    }
    const places = rows
      .filter((row) => row['p__id'] !== null)
      .map((row) => {
        const place = new Place() as unknown as Record<string, unknown>
        for (const c of placeColumns) place[c.propertyName] = row[`p__${c.databaseName}`]
        return place as unknown as Place
      })
    return { qr, ...unitContextOf(qr.unitId, places) }
  }

  private unitByTokenCache?: { sql: string; qrColumns: ColumnMetadata[]; placeColumns: ColumnMetadata[] }

  private unitByTokenSql() {
    if (this.unitByTokenCache) return this.unitByTokenCache
    const qrColumns = this.dataSource.getMetadata(QrCode).columns
    const placeColumns = this.dataSource.getMetadata(Place).columns
    const select = [
      ...qrColumns.map((c) => `q."${c.databaseName}" AS "q__${c.databaseName}"`),
      ...placeColumns.map((c) => `p."${c.databaseName}" AS "p__${c.databaseName}"`),
    ]
    // The unit joined first, then its ancestors by primary key from its path.
    const sql = `SELECT ${select.join(', ')}
        FROM qr_code q
        LEFT JOIN place u ON u.id = q.unit_id AND ${ACTIVE_UNIT}
        LEFT JOIN place p ON p.id = ANY(${LAST_THREE})
       WHERE q.token = $1`
    return (this.unitByTokenCache = { sql, qrColumns, placeColumns })
  }

  /**
   * The place, or PLACE_NOT_FOUND; `kind` narrows what is acceptable. A prepared statement hydrated from
   * the entity's columns: it is on nearly every call (the board's, each filing's, each action's), and a
   * repository lookup built its query and planned it anew each time.
   */
  async get(
    id: string,
    kind?: Place['kind'],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Place> {
    const columns = (this.placeColumns ??= this.dataSource.getMetadata(Place).columns)
    const [row] = await manager.query<Record<string, unknown>[]>(
      prepared(`SELECT ${columns.map((c) => `"${c.databaseName}"`).join(', ')} FROM place WHERE id = $1`),
      [id],
    )
    if (!row || (kind && row['kind'] !== kind)) throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    const place = new Place() as unknown as Record<string, unknown>
    for (const c of columns) place[c.propertyName] = row[c.databaseName]
    return place as unknown as Place
  }

  private placeColumns?: ColumnMetadata[]

  /** Whether a place of `kind` named `name` exists (the demo seeder checks before seeding twice). */
  async existsNamed(
    kind: Place['kind'],
    name: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    return manager.getRepository(Place).existsBy({ kind, name })
  }

  /**
   * The compound, if `admin`'s `manage_places` memberships cover it and it is not retired; otherwise it does
   * not exist for them (PLACE_NOT_FOUND). For the per-compound admin settings (routing rules, deadlines).
   */
  async managedCompound(admin: StaffPrincipal, compoundId: string): Promise<Place> {
    const compound = await this.get(compoundId, 'compound').catch((error: unknown) => {
      if (error instanceof DomainError) throw new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
      throw error
    })
    if (compound.retiredAt || !mayAct(admin.memberships, 'manage_places', compound.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
    }
    return compound
  }

  /**
   * Ids of the compounds at or under any of `placeIds`, retired ones included (their open requests still
   * count): a supervisor's inbox and escalations. A named prepared statement: the inbox runs it each call.
   */
  async compoundIdsUnder(placeIds: readonly string[]): Promise<string[]> {
    if (placeIds.length === 0) return []
    const rows = await this.dataSource.query<{ id: string }[]>(
      prepared(`SELECT id FROM place WHERE kind = 'compound' AND path && $1::uuid[]`),
      [placeIds],
    )
    return rows.map((r) => r.id)
  }

  /** Active compounds at or under any of `placeIds`, by name (a compound among them included). */
  async compoundsUnder(placeIds: readonly string[]): Promise<Place[]> {
    if (placeIds.length === 0) return []
    return this.dataSource
      .getRepository(Place)
      .createQueryBuilder('p')
      .where(`p.kind = 'compound' AND p.retired_at IS NULL`)
      .andWhere('p.path && :ids::uuid[]', { ids: [...placeIds] })
      .orderBy('p.name')
      .addOrderBy('p.id')
      .getMany()
  }

  /** A compound's active units with their buildings, in poster order (building, then unit). */
  async unitsOfCompound(compoundId: string): Promise<{ unit: Place; building: Place }[]> {
    const repo = this.dataSource.getRepository(Place)
    const buildings = await repo.find({
      where: { parentId: compoundId, kind: 'building', retiredAt: IsNull() },
      order: { sortOrder: 'ASC', name: 'ASC' },
    })
    if (buildings.length === 0) return []
    const units = await repo.find({
      where: { parentId: In(buildings.map((b) => b.id)), kind: 'unit', retiredAt: IsNull() },
      order: { sortOrder: 'ASC', name: 'ASC' },
    })
    return buildings.flatMap((building) =>
      units.filter((u) => u.parentId === building.id).map((unit) => ({ unit, building })),
    )
  }

  /** A compound's active buildings by name, and each building's active units by name (a sheet names them). */
  async namedBuildingsAndUnits(
    compoundId: string,
  ): Promise<{ buildings: Map<string, Place>; units: Map<string, Map<string, Place>> }> {
    const repo = this.dataSource.getRepository(Place)
    const buildings = new Map<string, Place>()
    const units = new Map<string, Map<string, Place>>()
    for (const b of await repo.findBy({ parentId: compoundId, kind: 'building', retiredAt: IsNull() }))
      buildings.set(b.name, b)
    const under = await repo.findBy({
      parentId: In([...buildings.values()].map((b) => b.id)),
      kind: 'unit',
      retiredAt: IsNull(),
    })
    for (const u of under) {
      const byName = units.get(u.parentId!) ?? new Map<string, Place>()
      byName.set(u.name, u)
      units.set(u.parentId!, byName)
    }
    return { buildings, units }
  }

  /**
   * Buildings and units of a compound from a CSV or XLSX file. Every row is checked first; one bad row
   * and nothing is written. Existing buildings and units are matched by name, so the same file twice
   * changes nothing.
   */
  async importUnits(compoundId: string, file: Buffer): Promise<ImportSummary> {
    const { units, errors } = validateUnitRows(await readSheet(file))
    if (errors.length > 0)
      throw new DomainError('VALIDATION_FAILED', `导入文件有${errors.length}处错误，未导入任何数据`, errors)
    return this.dataSource.transaction(async (manager) => {
      const compound = await this.get(compoundId, 'compound', manager)
      if (compound.retiredAt) throw new DomainError('PLACE_NOT_FOUND', '这个小区已停用')
      // Serialise imports into one compound so two uploads of the same file cannot both create a unit.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [compound.id])
      const repo = manager.getRepository(Place)
      const buildings = new Map(
        (await repo.findBy({ parentId: compound.id, kind: 'building', retiredAt: IsNull() })).map((b) => [
          b.name,
          b,
        ]),
      )
      const summary: ImportSummary = { buildingsCreated: 0, unitsCreated: 0, unitsUnchanged: 0 }
      const unitsByBuilding = new Map<string, Set<string>>()
      for (const row of units) {
        let building = buildings.get(row.building)
        if (!building) {
          building = await this.create(
            {
              kind: 'building',
              name: row.building,
              parent: compound,
              sortOrder: row.buildingOrder ?? buildings.size + 1,
            },
            manager,
          )
          buildings.set(row.building, building)
          summary.buildingsCreated++
        }
        let existing = unitsByBuilding.get(building.id)
        if (!existing) {
          existing = new Set(
            (await repo.findBy({ parentId: building.id, kind: 'unit', retiredAt: IsNull() })).map(
              (u) => u.name,
            ),
          )
          unitsByBuilding.set(building.id, existing)
        }
        if (existing.has(row.unit)) {
          summary.unitsUnchanged++
          continue
        }
        const unit = await this.create(
          { kind: 'unit', name: row.unit, parent: building, sortOrder: row.unitOrder ?? existing.size + 1 },
          manager,
        )
        await this.issueQrToken(unit.id, manager)
        existing.add(row.unit)
        summary.unitsCreated++
      }
      return summary
    })
  }

  /** Revokes a unit's active QR token and issues a new one; the old poster then shows "replaced". */
  async reissueQrToken(unitId: string): Promise<QrCode> {
    return this.dataSource.transaction(async (manager) => {
      const unit = await this.get(unitId, 'unit', manager)
      if (unit.retiredAt) throw new DomainError('PLACE_NOT_FOUND', '这个单元已停用')
      await manager
        .getRepository(QrCode)
        .update({ unitId, revokedAt: IsNull() }, { revokedAt: () => 'now()' })
      return this.issueQrToken(unitId, manager)
    })
  }

  async scanView(token: string): Promise<ScanView> {
    const { unit, building, compound } = await this.unitByToken(token)
    const [handlers, open] = await Promise.all([
      this.staff.namesOnDuty([unit.id, building.id, compound.id], HANDLER_ROLES),
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
