import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  compositeScore,
  DEFAULT_RANKING_WEIGHTS,
  emptyCounts,
  mayAct,
  PLACE_KINDS,
  RANKING_MIN_SAMPLE,
  rankingPeriod,
  rankRows,
  ROLE_LABELS,
  type MetricRates,
  type PlaceKind,
  type Ranking,
  type RankingQuery,
  type RankingWeights,
  type RankingWeightsInput,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { ReadSource } from '../database/read-source'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { addCounts, countGroups, GROUPINGS, toRates, type GroupKey } from './metrics.service'
import { RankingWeightsRow } from './ranking-weights.entity'

const BELOW: Partial<Record<PlaceKind, PlaceKind>> = {
  district: 'street',
  street: 'community',
  community: 'compound',
  compound: 'building',
}

/** The handlers of requests (none: null), with each one's role. */
export const HANDLERS: GroupKey = { ...GROUPINGS.person, role: true }

/**
 * The places of `kind` below `place` as a grouping: a compound's buildings, or for a place above compounds
 * the entry of each compound's path one level below the place.
 */
export function placesBelow(place: Place, kind: PlaceKind): GroupKey {
  if (kind === 'building') return GROUPINGS.building
  const key = `kp.path[${place.path.length + 1}]::text`
  return { ticket: key, tally: key, join: (alias) => `JOIN place kp ON kp.id = ${alias}.compound_id`, coarse: true }
}

interface Row {
  key: string | null
  label: string
  placeKind: PlaceKind | null
  rates: MetricRates
}

/**
 * 考核排名 and the drill-down: the rates of the places one level below a place (or of the handlers of its
 * requests) for a month or a quarter, ranked by one rate or the district's weighted composite
 * (shared `rankRows`, `compositeScore`). The counts are the metrics' own (metrics.service.ts countGroups: the
 * counters of whole months plus the live terms), so a ranking reads no request's row for a month or a
 * quarter; every place below is listed, empty ones too.
 */
@Injectable()
export class RankingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ReadSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  async ranking(staff: StaffPrincipal, query: RankingQuery): Promise<Ranking> {
    const place = await this.places.get(query.placeId)
    if (!mayAct(staff.memberships, 'view_metrics', place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    const period = rankingPeriod(query.period)
    if (!period) throw new DomainError('VALIDATION_FAILED', '请选择月份或季度', [{ path: 'period', message: '格式不对' }])
    const of = query.of ?? (place.kind === 'building' ? 'handlers' : 'places')
    const below = BELOW[place.kind]
    if (of === 'places' ? !below : place.kind !== 'compound' && place.kind !== 'building') {
      throw new DomainError('VALIDATION_FAILED', of === 'places' ? '这一级下面没有可排名的地点' : '只有小区和楼栋按处理人排名', [
        { path: 'of', message: '不能在这一级排名' },
      ])
    }
    // The counts on the read replica when there is one (database/read-source.ts); the weights the caller may
    // just have saved, on the primary.
    const [rows, trail] = await this.reads.read(staff, (db) =>
      Promise.all([
        of === 'places' ? this.placeRows(db, place, below!, period) : this.handlerRows(db, place, period),
        this.trail(db, staff, place),
      ]),
    )
    const weights = await this.weightsOf(place)
    const total = rows.reduce((sum, r) => addCounts(sum, countsFromRates(r.rates)), emptyCounts())
    const withScores = rows.map((r) => {
      const composite = compositeScore(
        { response: r.rates.response.rate, resolution: r.rates.resolution.rate, satisfaction: r.rates.satisfaction.rate },
        weights.weights,
      )
      return {
        key: r.key,
        label: r.label,
        placeKind: r.placeKind,
        ...r.rates,
        composite,
        score: query.by === 'composite' ? composite : r.rates[query.by].rate,
      }
    })
    const totalRates = toRates(total)
    return {
      placeId: place.id,
      placeName: place.name,
      placeKind: place.kind,
      period: query.period,
      periodLabel: period.label,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      by: query.by,
      of,
      trail,
      weights: weights.weights,
      weightsDefault: weights.isDefault,
      minSample: RANKING_MIN_SAMPLE,
      total: {
        ...totalRates,
        composite: compositeScore(
          {
            response: totalRates.response.rate,
            resolution: totalRates.resolution.rate,
            satisfaction: totalRates.satisfaction.rate,
          },
          weights.weights,
        ),
      },
      rows: rankRows(withScores, query.by),
    }
  }

  /** Sets a district's weights: its district supervisors (supervise_tickets there) only. */
  async setWeights(staff: StaffPrincipal, districtId: string, input: RankingWeightsInput): Promise<RankingWeights> {
    const district = await this.places.get(districtId, 'district')
    if (!mayAct(staff.memberships, 'supervise_tickets', district.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    await this.dataSource.getRepository(RankingWeightsRow).save({
      districtId: district.id,
      ...input,
      updatedAt: this.clock.now(),
      updatedBy: staff.staffId,
    })
    return { response: input.response, resolution: input.resolution, satisfaction: input.satisfaction }
  }

  private async weightsOf(place: Place): Promise<{ weights: RankingWeights; isDefault: boolean }> {
    const row = await this.dataSource.getRepository(RankingWeightsRow).findOneBy({ districtId: place.path[0] })
    return row
      ? { weights: { response: row.response, resolution: row.resolution, satisfaction: row.satisfaction }, isDefault: false }
      : { weights: { ...DEFAULT_RANKING_WEIGHTS }, isDefault: true }
  }

  /** Every place of `kind` under `place`, with the rates of the requests filed under it in the period. */
  private async placeRows(db: EntityManager, place: Place, kind: PlaceKind, period: { from: Date; to: Date }): Promise<Row[]> {
    const children = await db.query<{ id: string; name: string; sort_order: number | null }[]>(
      `SELECT id, name, sort_order FROM place WHERE kind = $1 AND path @> ARRAY[$2::uuid] ORDER BY sort_order, name`,
      [kind, place.id],
    )
    const counts = await countGroups(db, place, placesBelow(place, kind), period, this.clock.now())
    return children.map((c) => ({
      key: c.id,
      label: c.name,
      placeKind: kind,
      rates: toRates(counts.get(c.id)?.counts ?? emptyCounts()),
    }))
  }

  /** The handlers of the requests filed in the compound or building in the period (未分派: nobody yet). */
  private async handlerRows(db: EntityManager, place: Place, period: { from: Date; to: Date }): Promise<Row[]> {
    const counts = [...(await countGroups(db, place, HANDLERS, period, this.clock.now())).entries()].filter(
      ([, g]) => g.filed > 0,
    )
    const ids = counts.map(([key]) => key).filter((k): k is string => k !== null)
    const names = new Map(
      (
        await db.query<{ id: string; name: string }[]>(
          'SELECT id, name FROM staff WHERE id = ANY($1::uuid[])',
          [ids],
        )
      ).map((s) => [s.id, s.name]),
    )
    return counts.map(([key, g]) => ({
      key,
      label: key === null ? '未分派' : `${names.get(key) ?? '处理人'}（${g.role ? ROLE_LABELS[g.role] : '处理人'}）`,
      placeKind: null,
      rates: toRates(g.counts),
    }))
  }

  /** The place's ancestors the caller may view the figures of, then the place itself. */
  private async trail(db: EntityManager, staff: StaffPrincipal, place: Place): Promise<Ranking['trail']> {
    const rows = await db.query<{ id: string; name: string; kind: PlaceKind; path: string[] }[]>(
      'SELECT id, name, kind, path FROM place WHERE id = ANY($1::uuid[])',
      [place.path],
    )
    return rows
      .filter((p) => p.id === place.id || mayAct(staff.memberships, 'view_metrics', p.path))
      .sort((a, b) => PLACE_KINDS.indexOf(a.kind) - PLACE_KINDS.indexOf(b.kind))
      .map(({ id, name, kind }) => ({ id, name, kind }))
  }
}

function countsFromRates(r: MetricRates) {
  const c = emptyCounts()
  for (const key of Object.keys(c) as (keyof typeof c)[]) c[key] = { numerator: r[key].numerator, denominator: r[key].denominator }
  return c
}
