import { Injectable, Logger } from '@nestjs/common'
import { DataSource, type EntityManager } from 'typeorm'
import { Clock } from '../common/clock'
import { PlacesService } from '../places/places.service'
import type { Place } from '../places/place.entity'
import { ResidentsService } from '../residents/residents.service'
import { StaffService } from '../staff/staff.service'
import { TicketsService } from '../tickets/tickets.service'
import { TemplatesService } from '../templates/templates.service'
import { ResourcesService } from '../resources/resources.service'
import { DEMO_RESOURCES } from './demo-data'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PLACES, DEMO_REQUESTS, DEMO_RESIDENT, DEMO_TEMPLATES } from './demo-data'

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
    private readonly resources: ResourcesService,
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
    await this.resources.seedDemo(manager, compound.id, DEMO_RESOURCES, staffIds.get('grid_lead')!, this.clock.now())
    const resident = await this.residents.createWithOpenid(DEMO_RESIDENT, manager)
    for (const request of DEMO_REQUESTS) {
      await this.tickets.file(
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
    }
  }
}
