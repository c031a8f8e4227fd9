import { Injectable } from '@nestjs/common'
import {
  DEFAULT_DEADLINE_CONFIG,
  deadlineConfigProblems,
  type DeadlineConfig,
  type DeadlineSettings,
  type DeadlineSettingsInput,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { PlacesService } from '../places/places.service'
import { CalendarOverridesService } from './calendar-overrides.service'
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
    return (await this.forFiling(compoundId, undefined, this.clock.now())) ?? { ...DEFAULT_DEADLINE_CONFIG }
  }

  /**
   * The config a request filed in the compound keeps: null when the compound uses the defaults and no
   * place above or at it has a day off or on (the request then follows the default rules), else the whole
   * effective config with those days (from the local date of `from` on; all when left out: the dry run
   * may ask about any time).
   */
  async forFiling(
    compoundId: string,
    manager: EntityManager = this.dataSource.manager,
    from?: Date,
  ): Promise<DeadlineConfig | null> {
    const row = await manager.getRepository(DeadlineSettingsRow).findOneBy({ compoundId })
    const overrides = row ? overridesOf(row.overrides) : {}
    const compound = await this.places.get(compoundId, 'compound', manager)
    const calendarOverrides = await this.calendar.effectiveFor(compound.path, from, manager)
    if (Object.keys(overrides).length === 0 && calendarOverrides.length === 0) return null
    return { ...effectiveOf(overrides), calendarOverrides }
  }
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
