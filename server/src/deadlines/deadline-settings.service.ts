import { Injectable } from '@nestjs/common'
import {
  DEFAULT_DEADLINE_CONFIG,
  deadlineConfigProblems,
  localDateString,
  NO_URGENT_CHANGE,
  urgentRulesOf,
  type UrgentListChange,
  type UrgentRules,
  type DeadlineConfig,
  type DeadlineSettings,
  type DeadlineSettingsInput,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { CalendarOverridesService, mergeOverrides } from './calendar-overrides.service'
import { DeadlineSettingsRow } from './deadline-settings.entity'

/** Only the fields an admin may set, in a stable order (the stored jsonb and the view). */
const SETTABLE = [
  'workdayStart',
  'workdayEnd',
  'acceptWithinMinutes',
  'simpleCutoff',
  'complexReplyHours',
  'maxPromiseDays',
  'autoCloseDays',
  'warnAtFraction',
  'dayTypes',
] as const satisfies readonly (keyof DeadlineSettingsInput)[]

function overridesOf(input: DeadlineSettingsInput): DeadlineSettingsInput {
  const out: Record<string, unknown> = {}
  for (const key of SETTABLE) if (input[key] !== undefined) out[key] = input[key]
  // No role changed is no override.
  if (input.dayTypes && Object.keys(input.dayTypes).length === 0) delete out.dayTypes
  return out as DeadlineSettingsInput
}

/** The defaults with a compound's overrides; a role's day type overrides that role's entry only. */
function effectiveOf(overrides: DeadlineSettingsInput): DeadlineConfig {
  return {
    ...DEFAULT_DEADLINE_CONFIG,
    ...overrides,
    dayTypes: { ...DEFAULT_DEADLINE_CONFIG.dayTypes, ...overrides.dayTypes },
  }
}

/**
 * Per-compound deadline settings: admins over the compound (manage_places, like its routing
 * rules) read and replace them; filing reads the effective config, which the request then keeps. Besides
 * the windows, they say per role whether its windows count working days or every day (`dayTypes`).
 */
@Injectable()
export class DeadlineSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
    private readonly calendar: CalendarOverridesService,
  ) {}

  /** With the calendar overrides the compound's new requests follow (its own and inherited, from today). */
  async get(admin: StaffPrincipal, compoundId: string): Promise<DeadlineSettings> {
    const compound = await this.places.managedCompound(admin, compoundId)
    const row = await this.dataSource.getRepository(DeadlineSettingsRow).findOneBy({ compoundId })
    const calendarOverrides = await this.calendar.effectiveFor(compound.path, this.clock.now())
    return toView(compoundId, row, calendarOverrides, this.calendar.years())
  }

  /** Replaces the compound's overrides (`{}`: back to the defaults). Checked as a whole config. */
  async put(
    admin: StaffPrincipal,
    compoundId: string,
    input: DeadlineSettingsInput,
  ): Promise<DeadlineSettings> {
    await this.places.managedCompound(admin, compoundId)
    const overrides = overridesOf(input)
    const problems = deadlineConfigProblems(effectiveOf(overrides))
    if (problems.length > 0) {
      throw new DomainError('VALIDATION_FAILED', problems[0].message, problems)
    }
    await this.dataSource
      .getRepository(DeadlineSettingsRow)
      .upsert({ compoundId, overrides, updatedAt: this.clock.now(), updatedBy: admin.staffId }, [
        'compoundId',
      ])
    return this.get(admin, compoundId)
  }

  /** The rules a request filed now in the compound follows: its overrides over the defaults. */
  async effective(compoundId: string): Promise<DeadlineConfig> {
    const compound = await this.places.get(compoundId, 'compound')
    const { deadlineConfig } = await this.filingRules(compound, undefined, this.clock.now())
    return deadlineConfig ?? { ...DEFAULT_DEADLINE_CONFIG }
  }

  /**
   * What filing reads of a compound's rules, in ONE statement: the urgent lane's danger list (its places'
   * changes, UrgentListService.rulesFor) and the config the request keeps — null when the compound uses
   * the defaults and no place above or at it has a day off or on (the request then follows the default
   * rules), else the whole effective config with those days from the local date of `from` on (all when
   * left out: the dry run may ask about any time). The compound's path is the caller's.
   */
  async filingRules(
    compound: Pick<Place, 'id' | 'path'>,
    manager: EntityManager = this.dataSource.manager,
    from?: Date,
  ): Promise<FilingRules> {
    const [row] = await manager.query<
      {
        urgent: (UrgentListChange & { placeId: string })[]
        overrides: DeadlineSettingsInput | null
        calendar: { placeId: string; date: string; working: boolean; reason: string }[]
      }[]
    >(prepared(FILING_RULES_SQL), [compound.path, compound.id, from ? localDateString(from) : null])
    const changes = new Map(row.urgent.map((change) => [change.placeId, change]))
    const calendarOverrides = mergeOverrides(compound.path, row.calendar).winners.map(
      ({ date, working, reason }) => ({ date, working, reason }),
    )
    return {
      dangers: urgentRulesOf(compound.path.map((id) => changes.get(id) ?? NO_URGENT_CHANGE)),
      deadlineConfig: filingConfigOf(row.overrides, calendarOverrides),
    }
  }
}

/** What filing reads of a compound's rules (DeadlineSettingsService.filingRules). */
export interface FilingRules {
  /** The urgent lane's danger list (shared urgent.ts). */
  dangers: UrgentRules
  /** The deadline config a request filed now keeps: null when it follows the defaults (see filingRules). */
  deadlineConfig: DeadlineConfig | null
}

/** The config a request keeps: an urgent one's own rules say so (the urgent lane's acceptance and escalation). */
export function filedDeadlineConfig(config: DeadlineConfig | null, urgent: boolean): DeadlineConfig | null {
  return urgent ? { ...(config ?? DEFAULT_DEADLINE_CONFIG), urgent: true } : config
}

/** The urgent list, the deadline settings and the calendar overrides of a compound's path, as json. */
const FILING_RULES_SQL = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
              'placeId', u.place_id, 'addWords', u.add_words, 'dropWords', u.drop_words,
              'addCategories', u.add_categories, 'dropCategories', u.drop_categories)), '[]'::json)
       FROM urgent_list u WHERE u.place_id = ANY($1::uuid[])) AS urgent,
    (SELECT s.overrides FROM deadline_settings s WHERE s.compound_id = $2::uuid) AS overrides,
    (SELECT coalesce(json_agg(json_build_object(
              'placeId', c.place_id, 'date', c.date, 'working', c.working, 'reason', c.reason)
              ORDER BY c.date), '[]'::json)
       FROM calendar_override c
      WHERE c.place_id = ANY($1::uuid[]) AND ($3::date IS NULL OR c.date >= $3::date)) AS calendar`

/** The compound's stored overrides (null: none) and calendar days → the config its requests keep. */
function filingConfigOf(
  stored: DeadlineSettingsInput | null,
  calendarOverrides: DeadlineConfig['calendarOverrides'],
): DeadlineConfig | null {
  const overrides = stored ? overridesOf(stored) : {}
  if (Object.keys(overrides).length === 0 && calendarOverrides.length === 0) return null
  return { ...effectiveOf(overrides), calendarOverrides }
}

function toView(
  compoundId: string,
  row: DeadlineSettingsRow | null,
  calendarOverrides: DeadlineConfig['calendarOverrides'],
  calendarYears: DeadlineSettings['calendarYears'],
): DeadlineSettings {
  const overrides = row ? overridesOf(row.overrides) : {}
  return {
    compoundId,
    defaults: { ...DEFAULT_DEADLINE_CONFIG },
    overrides,
    effective: { ...effectiveOf(overrides), calendarOverrides },
    updatedAt: row?.updatedAt.toISOString() ?? null,
    calendarYears,
  }
}
