import { Injectable } from '@nestjs/common'
import {
  CALENDAR_PLACE_KINDS,
  DEFAULT_URGENT_RULES,
  mayAct,
  NO_URGENT_CHANGE,
  urgentRulesOf,
  type CalendarPlace,
  type ScanUrgent,
  type UrgentListChange,
  type UrgentListInput,
  type UrgentListView,
  type UrgentRules,
} from '@mq/shared'
import { DataSource, In, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { UrgentListRow } from './urgent-list.entity'

const LIST_KINDS: ReadonlySet<string> = new Set(CALENDAR_PLACE_KINDS)

type ChangeView = UrgentListView['levels'][number]['change']

function changeOf(row: UrgentListRow | undefined): ChangeView {
  const { addWords, dropWords, addCategories, dropCategories }: UrgentListChange = row ?? NO_URGENT_CHANGE
  return {
    addWords: [...addWords],
    dropWords: [...dropWords],
    addCategories: [...addCategories],
    dropCategories: [...dropCategories],
  }
}

function rulesView(rules: UrgentRules): UrgentListView['effective'] {
  return { categories: [...rules.categories], words: [...rules.words] }
}

/** Each word once, as first written (compared without spaces, case-insensitively, as the rule matches). */
function distinct<T extends string>(values: readonly T[]): T[] {
  const seen = new Set<string>()
  return values.filter((v) => {
    const key = v.replace(/\s+/g, '').toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The urgent lane's danger list per place: admins over a district, street, community or compound
 * (manage_places, as for the calendar) add and drop words and categories, inherited downward, the nearest
 * place winning for each; a compound also keeps its 物业 24-hour line for the emergency sheet. The report
 * page shows the sheet and filing decides `urgent` by the compound's list (the same rule, shared urgent.ts).
 */
@Injectable()
export class UrgentListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  async show(admin: StaffPrincipal, placeId: string): Promise<UrgentListView> {
    return this.view(await this.managedPlace(admin, placeId))
  }

  /** Replaces the place's own changes (and a compound's line); a line for another kind of place is a 400. */
  async put(admin: StaffPrincipal, placeId: string, input: UrgentListInput): Promise<UrgentListView> {
    const place = await this.managedPlace(admin, placeId)
    const propertyPhone = input.propertyPhone ?? null
    if (propertyPhone !== null && place.kind !== 'compound') {
      const message = '物业24小时电话只能设在小区'
      throw new DomainError('VALIDATION_FAILED', message, [{ path: 'propertyPhone', message }])
    }
    await this.dataSource.getRepository(UrgentListRow).upsert(
      {
        placeId: place.id,
        addWords: distinct(input.addWords),
        dropWords: distinct(input.dropWords),
        addCategories: distinct(input.addCategories),
        dropCategories: distinct(input.dropCategories),
        propertyPhone,
        updatedAt: this.clock.now(),
        updatedBy: admin.staffId,
      },
      ['placeId'],
    )
    return this.view(place)
  }

  /** The danger list a report filed under the place at `path` (outermost first, itself last) is judged by. */
  async rulesFor(path: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<UrgentRules> {
    const rows = await this.rowsFor(path, manager)
    return urgentRulesOf(path.map((id) => changeOf(rows.get(id))))
  }

  /** The compound's danger list and 物业 24-hour line, for the report page. */
  async forCompound(compoundId: string): Promise<ScanUrgent> {
    const compound = await this.places.get(compoundId, 'compound')
    const rows = await this.rowsFor(compound.path, this.dataSource.manager)
    const rules = urgentRulesOf(compound.path.map((id) => changeOf(rows.get(id))))
    return { ...rulesView(rules), propertyPhone: rows.get(compound.id)?.propertyPhone ?? null }
  }

  private async rowsFor(path: readonly string[], manager: EntityManager): Promise<Map<string, UrgentListRow>> {
    if (path.length === 0) return new Map()
    const rows = await manager.getRepository(UrgentListRow).findBy({ placeId: In([...path]) })
    return new Map(rows.map((r) => [r.placeId, r]))
  }

  private async view(place: Place): Promise<UrgentListView> {
    const chain: Place[] = []
    for (const id of place.path) {
      const above = id === place.id ? place : await this.places.get(id)
      if (LIST_KINDS.has(above.kind)) chain.push(above)
    }
    const rows = await this.rowsFor(
      chain.map((p) => p.id),
      this.dataSource.manager,
    )
    const levels = chain.map((p) => ({ place: placeView(p), change: changeOf(rows.get(p.id)) }))
    const own = rows.get(place.id)
    return {
      place: placeView(place),
      defaults: rulesView(DEFAULT_URGENT_RULES),
      levels,
      effective: rulesView(urgentRulesOf(levels.map((l) => l.change))),
      propertyPhone: place.kind === 'compound' ? (own?.propertyPhone ?? null) : null,
      updatedAt: own?.updatedAt.toISOString() ?? null,
    }
  }

  /** The place, if it may carry a list and `admin` administers it; otherwise it does not exist for them. */
  private async managedPlace(admin: StaffPrincipal, placeId: string): Promise<Place> {
    const place = await this.places.get(placeId).catch((error: unknown) => {
      if (error instanceof DomainError) throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
      throw error
    })
    if (place.retiredAt || !LIST_KINDS.has(place.kind) || !mayAct(admin.memberships, 'manage_places', place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    return place
  }
}

function placeView(place: Place): CalendarPlace {
  return { id: place.id, kind: place.kind, name: place.name }
}
