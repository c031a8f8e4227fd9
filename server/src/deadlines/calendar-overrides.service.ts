import { Injectable } from '@nestjs/common'
import {
  addDaysToDate,
  CALENDAR_OVERRIDE_MAX_DAYS_AHEAD,
  CALENDAR_PLACE_KINDS,
  calendarYears,
  localDateString,
  localParts,
  mayAct,
  type CalendarOverride,
  type CalendarOverrideInput,
  type CalendarOverrideView,
  type CalendarPlace,
  type CalendarYear,
  type PlaceCalendar,
  WorkingCalendar,
} from '@mq/shared'
import { DataSource, In, MoreThanOrEqual, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { isUniqueViolation } from '../common/database-errors'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { CalendarOverrideRow } from './calendar-override.entity'

const CALENDAR_KINDS: ReadonlySet<string> = new Set(CALENDAR_PLACE_KINDS)

function placeView(place: Place): CalendarPlace {
  return { id: place.id, kind: place.kind, name: place.name }
}

/**
 * For each date the override of the nearest place wins (`chain` outermost first); the others are kept
 * as shadowed. Both by date.
 */
export function mergeOverrides<T extends { date: string; placeId: string }>(
  chain: readonly string[],
  rows: readonly T[],
): { winners: T[]; shadowed: T[] } {
  const depth = (row: T) => chain.indexOf(row.placeId)
  const byDate = new Map<string, T>()
  const shadowed: T[] = []
  for (const row of [...rows].sort((a, b) => depth(b) - depth(a))) {
    if (byDate.has(row.date)) shadowed.push(row)
    else byDate.set(row.date, row)
  }
  const byDay = (a: T, b: T) => a.date.localeCompare(b.date) || depth(b) - depth(a)
  return { winners: [...byDate.values()].sort(byDay), shadowed: shadowed.sort(byDay) }
}

/**
 * Admins' corrections of China's working calendar per place: a day off (台风停工) or a day on, with the
 * reason, for a district, street, community or compound, inherited by the places under it (the nearest
 * place's wins for a date). Admins over the place (manage_places, as for deadline settings) add and remove
 * them; 404 outside their places. Requests filed from then on count their working days with them.
 */
@Injectable()
export class CalendarOverridesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  /** The current and next year's schedule status (a warning for a year without the official schedule). */
  years(): CalendarYear[] {
    const year = localParts(this.clock.now()).year
    return calendarYears([year, year + 1])
  }

  async show(admin: StaffPrincipal, placeId: string): Promise<PlaceCalendar> {
    return this.view(await this.managedPlace(admin, placeId))
  }

  /** Sets a day off or on for the place; a date it already set is a 409 (remove it first). */
  async add(admin: StaffPrincipal, placeId: string, input: CalendarOverrideInput): Promise<PlaceCalendar> {
    const place = await this.managedPlace(admin, placeId)
    const today = localDateString(this.clock.now())
    if (input.date < today) {
      throw new DomainError('VALIDATION_FAILED', '日期不能早于今天', [{ path: 'date', message: '日期不能早于今天' }])
    }
    const latest = addDaysToDate(today, CALENDAR_OVERRIDE_MAX_DAYS_AHEAD)
    if (input.date > latest) {
      const message = `日期最晚可设到 ${latest}`
      throw new DomainError('VALIDATION_FAILED', message, [{ path: 'date', message }])
    }
    const repo = this.dataSource.getRepository(CalendarOverrideRow)
    try {
      await repo.insert({
        placeId: place.id,
        date: input.date,
        working: input.working,
        reason: input.reason,
        createdAt: this.clock.now(),
        createdBy: admin.staffId,
      })
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('CONFLICT', `${place.name}在 ${input.date} 已有调整，请先删除再重设`)
      }
      throw error
    }
    return this.view(place)
  }

  /** Removes the place's own override of `date`, if it has one (an inherited one stays: it is another place's). */
  async remove(admin: StaffPrincipal, placeId: string, date: string): Promise<PlaceCalendar> {
    const place = await this.managedPlace(admin, placeId)
    await this.dataSource.getRepository(CalendarOverrideRow).delete({ placeId: place.id, date })
    return this.view(place)
  }

  /**
   * A date staff commit to at the place at `path` (a resource match's or a meeting decision's target): today
   * or later, and a working day of the place's calendar (admins' overrides included); else a 400 on
   * `field` that says what the day is and names the next working day.
   */
  async checkTargetDate(path: readonly string[], date: string, field = 'targetDate'): Promise<void> {
    const problem = (message: string) => new DomainError('VALIDATION_FAILED', message, [{ path: field, message }])
    if (date < localDateString(this.clock.now())) throw problem('目标日期不能早于今天')
    const calendar = new WorkingCalendar(await this.effectiveFor(path))
    if (!calendar.isWorkingDay(date)) {
      const day = calendar.day(date)
      const why = day.name ?? (day.kind === 'weekend' ? '周末' : '休息日')
      throw problem(`目标日期须为工作日：${date} 是${why}，最近的工作日是 ${calendar.nextWorkingDay(date)}`)
    }
  }

  /**
   * The overrides a request filed in the place at `path` (its ancestors and itself) follows: one per date,
   * the nearest place's; from the local date of `from` on (all when left out).
   */
  async effectiveFor(
    path: readonly string[],
    from?: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CalendarOverride[]> {
    const rows = await this.rowsFor(path, from ? localDateString(from) : null, manager)
    return mergeOverrides(path, rows).winners.map(({ date, working, reason }) => ({ date, working, reason }))
  }

  private async rowsFor(
    path: readonly string[],
    from: string | null,
    manager: EntityManager,
  ): Promise<CalendarOverrideRow[]> {
    if (path.length === 0) return []
    return manager.getRepository(CalendarOverrideRow).find({
      where: { placeId: In([...path]), ...(from ? { date: MoreThanOrEqual(from) } : {}) },
      order: { date: 'ASC' },
    })
  }

  private async view(place: Place): Promise<PlaceCalendar> {
    const chain: Place[] = []
    for (const id of place.path) {
      const above = id === place.id ? place : await this.places.get(id)
      if (CALENDAR_KINDS.has(above.kind)) chain.push(above)
    }
    const ids = chain.map((p) => p.id)
    const byId = new Map(chain.map((p) => [p.id, p]))
    const rows = await this.rowsFor(ids, localDateString(this.clock.now()), this.dataSource.manager)
    const { winners, shadowed } = mergeOverrides(ids, rows)
    const toView = (row: CalendarOverrideRow): CalendarOverrideView => ({
      date: row.date,
      working: row.working,
      reason: row.reason,
      place: placeView(byId.get(row.placeId)!),
      own: row.placeId === place.id,
      createdAt: row.createdAt.toISOString(),
    })
    return {
      place: placeView(place),
      chain: chain.map(placeView),
      overrides: winners.map(toView),
      shadowed: shadowed.map(toView),
      years: this.years(),
    }
  }

  /** The place, if it may carry overrides and `admin` administers it; otherwise it does not exist for them. */
  private async managedPlace(admin: StaffPrincipal, placeId: string): Promise<Place> {
    const place = await this.places.get(placeId).catch((error: unknown) => {
      if (error instanceof DomainError) throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
      throw error
    })
    if (place.retiredAt || !CALENDAR_KINDS.has(place.kind) || !mayAct(admin.memberships, 'manage_places', place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    return place
  }
}
