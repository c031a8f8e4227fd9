import { Injectable, Logger } from '@nestjs/common'
import { DataSource, type EntityManager } from 'typeorm'
import { addLocalDays, defaultCalendar, localDateString, localParts, localInstant } from '@mq/shared'
import { Clock } from '../common/clock'
import { MeetingsService } from '../meetings/meetings.service'
import { DEMO_MEETINGS } from './demo-data'
import { PlacesService } from '../places/places.service'
import type { Place } from '../places/place.entity'
import { ResidentsService } from '../residents/residents.service'
import { StaffService } from '../staff/staff.service'
import { TicketsService } from '../tickets/tickets.service'
import { NeedsService } from '../needs/needs.service'
import { TemplatesService } from '../templates/templates.service'
import { VisitsService } from '../visits/visits.service'
import { ResourcesService } from '../resources/resources.service'
import { DEMO_RESOURCES } from './demo-data'
import { DEMO_ACCOUNTS, DEMO_NEEDS, DEMO_PASSWORD, DEMO_PLACES, DEMO_REQUESTS, DEMO_RESIDENT, DEMO_TEMPLATES, DEMO_VISIT_HOUSEHOLDS } from './demo-data'

/** Arbitrary, fixed key: concurrent starts seed once. */
const SEED_LOCK = 7_220_412

/** Seeds the demo compound 石灰桥新村 once; a second run finds it and changes nothing. */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name)

  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly residents: ResidentsService,
    private readonly tickets: TicketsService,
    private readonly templates: TemplatesService,
    private readonly needs: NeedsService,
    private readonly visits: VisitsService,
    private readonly resources: ResourcesService,
    private readonly meetings: MeetingsService,
    private readonly clock: Clock,
  ) {}

  /** Returns true when it seeded, false when the demo data was already there. */
  async seed(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK])
      if (await this.places.existsNamed('district', DEMO_PLACES.district, manager)) return false
      await this.seedInto(manager)
      this.logger.log('demo data seeded')
      return true
    })
  }

  private async seedInto(manager: EntityManager): Promise<void> {
    const district = await this.places.create({ kind: 'district', name: DEMO_PLACES.district, parent: null }, manager)
    const street = await this.places.create({ kind: 'street', name: DEMO_PLACES.street, parent: district }, manager)
    const community = await this.places.create(
      { kind: 'community', name: DEMO_PLACES.community, parent: street },
      manager,
    )
    const compound = await this.places.create(
      { kind: 'compound', name: DEMO_PLACES.compound, parent: community },
      manager,
    )
    const buildings: Place[] = []
    const units: Place[][] = []
    for (const [b, unitCount] of DEMO_PLACES.buildings.entries()) {
      const building = await this.places.create(
        { kind: 'building', name: `${b + 1}幢`, parent: compound, sortOrder: b + 1 },
        manager,
      )
      buildings.push(building)
      const row: Place[] = []
      for (let u = 1; u <= unitCount; u++) {
        const unit = await this.places.create(
          { kind: 'unit', name: `${u}单元`, parent: building, sortOrder: u },
          manager,
        )
        await this.places.issueQrToken(unit.id, manager)
        row.push(unit)
      }
      units.push(row)
    }
    const placeFor = { compound, building1: buildings[0], community, street, district }
    const staffIds = new Map<string, string>()
    for (const account of DEMO_ACCOUNTS) {
      const person = await this.staff.create(
        { name: account.name, phone: account.phone, password: DEMO_PASSWORD },
        manager,
      )
      await this.staff.addMembership(
        { staffId: person.id, placeId: placeFor[account.at].id, role: account.role },
        manager,
      )
      staffIds.set(account.role, person.id)
    }
    await this.templates.seed(manager, compound.id, DEMO_TEMPLATES.compound, this.clock.now())
    await this.templates.seed(manager, community.id, DEMO_TEMPLATES.community, this.clock.now())
    await this.needs.seedDemo(
      manager,
      DEMO_NEEDS.map(({ building, unit, ...need }) => ({
        ...need,
        compoundId: compound.id,
        unitId: units[building - 1][unit - 1].id,
        createdByStaffId: staffIds.get('grid_lead')!,
      })),
    )
    await this.resources.seedDemo(manager, compound.id, DEMO_RESOURCES, staffIds.get('grid_lead')!, this.clock.now())
    const resident = await this.residents.createWithOpenid(DEMO_RESIDENT, manager)
    const requestIds: string[] = []
    for (const request of DEMO_REQUESTS) {
      const filed = await this.tickets.file(
        {
          unitId: units[request.building - 1][request.unit - 1].id,
          category: request.category,
          description: request.description,
          channel: request.channel,
          reporterResidentId: request.proxy ? null : resident.id,
          proxy: request.proxy ? { ...request.proxy, staffId: staffIds.get('grid_lead')! } : null,
        },
        manager,
      )
      requestIds.push(filed.id)
    }
    await this.visits.seedDemo(
      manager,
      DEMO_VISIT_HOUSEHOLDS.map((h) => ({
        ...h,
        compoundId: compound.id,
        unitId: units[h.building - 1][h.unit - 1].id,
        assigneeStaffId: staffIds.get(h.assignee)!,
      })),
    )
    await this.meetings.seedDemo(manager, compound.id, staffIds.get('grid_lead')!, this.demoMeetings(requestIds))
  }

  /** The demo meetings at dates around now: target dates counted in working days on the official calendar. */
  private demoMeetings(requestIds: readonly string[]): Parameters<MeetingsService['seedDemo']>[3] {
    const now = this.clock.now()
    const today = localDateString(now)
    const calendar = defaultCalendar()
    const workingDaysAhead = (n: number) => {
      let day = today
      for (let i = 0; i < n; i++) day = calendar.nextWorkingDay(day)
      return day
    }
    return DEMO_MEETINGS.map((m) => {
      const day = localParts(addLocalDays(now, m.dayOffset))
      const startsAt = localInstant({ year: day.year, month: day.month, day: day.day, ...m.time })
      return {
        kind: m.kind,
        title: m.title,
        startsAt,
        venue: m.venue,
        attendeeRoles: m.attendeeRoles,
        held: m.held,
        agendaTicketIds: m.agenda.map((i) => requestIds[i]),
        decisions: m.decisions.map((d) => ({
          agendaIndex: d.agendaIndex,
          ownerRole: d.ownerRole,
          targetDate: workingDaysAhead(d.workingDays),
          publicSummary: d.publicSummary,
          internalNote: d.internalNote,
          done: d.doneNote ? { note: d.doneNote, at: new Date(Math.min(now.getTime(), startsAt.getTime() + 86_400_000)) } : undefined,
        })),
      }
    })
  }
}
