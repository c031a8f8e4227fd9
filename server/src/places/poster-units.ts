import { Injectable } from '@nestjs/common'
import { DataSource } from 'typeorm'

/** One unit's poster data: the unit with its building and compound names and its active token. */
export interface UnitPosterRow {
  unit_id: string
  unit_name: string
  unit_sort: number
  building_id: string
  building_name: string
  building_sort: number
  compound_name: string
  token: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const byName = new Intl.Collator('zh-CN', { numeric: true })

/** Building order, then unit order; names compare numerically (2幢 before 10幢) when sort orders tie. */
function compareUnits(a: UnitPosterRow, b: UnitPosterRow): number {
  return (
    a.building_sort - b.building_sort ||
    byName.compare(a.building_name, b.building_name) ||
    a.building_id.localeCompare(b.building_id) ||
    a.unit_sort - b.unit_sort ||
    byName.compare(a.unit_name, b.unit_name) ||
    a.unit_id.localeCompare(b.unit_id)
  )
}

/**
 * What stairwell posters print, read from the place tree and the QR tokens: the places domain's queries
 * for the posters module (which owns no tables). `scope` is the place ids the caller may print under;
 * anything outside it, retired, or not a well-formed id is not found.
 */
@Injectable()
export class PosterUnits {
  constructor(private readonly dataSource: DataSource) {}

  /** The active compound's name, or null. */
  async compoundName(compoundId: string, scope: string[]): Promise<string | null> {
    if (!UUID.test(compoundId)) return null
    const [compound] = await this.dataSource.query<{ name: string }[]>(
      `SELECT name FROM place WHERE id = $1 AND kind = 'compound' AND retired_at IS NULL AND path && $2::uuid[]`,
      [compoundId, scope],
    )
    return compound?.name ?? null
  }

  /**
   * Active units (one unit, or every unit of a compound) with their building, compound and active token
   * (null if none), in building and unit order. A unit's parent is its building; its compound is the
   * third-last id of its path.
   */
  async find(match: { unitId: string } | { compoundId: string }, scope: string[]): Promise<UnitPosterRow[]> {
    const [where, id] =
      'unitId' in match ? ['u.id = $1', match.unitId] : ['u.path @> ARRAY[$1]::uuid[]', match.compoundId]
    if (!UUID.test(id)) return []
    const rows = await this.dataSource.query<UnitPosterRow[]>(
      `SELECT u.id AS unit_id, u.name AS unit_name, u.sort_order AS unit_sort,
              b.id AS building_id, b.name AS building_name, b.sort_order AS building_sort,
              c.name AS compound_name, q.token
         FROM place u
         JOIN place b ON b.id = u.parent_id AND b.kind = 'building' AND b.retired_at IS NULL
         JOIN place c ON c.id = u.path[array_length(u.path, 1) - 2] AND c.kind = 'compound' AND c.retired_at IS NULL
         LEFT JOIN qr_code q ON q.unit_id = u.id AND q.revoked_at IS NULL
        WHERE u.kind = 'unit' AND u.retired_at IS NULL AND u.path && $2::uuid[] AND ${where}`,
      [id, scope],
    )
    return rows.sort(compareUnits)
  }
}
