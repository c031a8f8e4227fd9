import { Injectable } from '@nestjs/common'
import { computeDeadlines, mayAct, type CategoryCode, type Channel, type TicketView } from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import { AccessLogService } from '../access-log/access-log.service'
import type { Principal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { PlacesService } from '../places/places.service'
import { RoutingService } from '../routing/routing.service'
import { TicketEvent, type ActorKind } from './ticket-event.entity'
import { Ticket } from './ticket.entity'
import { toTicketView, type TicketViewer, type ViewableTicket } from './ticket.view'

export interface FileTicketInput {
  unitId: string
  category: CategoryCode
  description: string
  channel: Channel
  reporterResidentId?: string | null
  proxy?: { name: string; phone: string | null; staffId: string } | null
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
  ) {}

  /**
   * One request as the caller may see it: staff within their scope, a resident only their own. Anything
   * else is 404, so callers learn nothing about requests outside their reach. Unmasked personal data is
   * logged before it is returned.
   */
  async viewFor(id: string, principal: Principal, requestId: string | null): Promise<TicketView> {
    const ticket = (await this.dataSource.getRepository(Ticket).findOne({
      where: { id },
      relations: { unit: true, building: true, compound: true, reporter: true, handler: true },
    })) as ViewableTicket | null
    const readable =
      ticket !== null &&
      (principal.kind === 'resident'
        ? ticket.reporterResidentId === principal.residentId
        : mayAct(principal.memberships, 'view_tickets', ticket.unit.path))
    if (!readable) throw new DomainError('TICKET_NOT_FOUND', '找不到这个诉求')
    const viewer: TicketViewer =
      principal.kind === 'staff'
        ? { kind: 'staff', staffId: principal.staffId, memberships: principal.memberships }
        : { kind: 'resident', residentId: principal.residentId }
    const { view, disclosed } = toTicketView(ticket, viewer)
    if (disclosed && principal.kind === 'staff') {
      await this.accessLog.record({
        staffId: principal.staffId,
        role: disclosed.role,
        ticketId: ticket.id,
        compoundId: ticket.compoundId,
        fields: disclosed.fields,
        requestId,
      })
    }
    return view
  }

  /** Files a request: the row, its routing, its deadlines and its first timeline events, in one transaction. */
  async file(input: FileTicketInput, manager?: EntityManager): Promise<Ticket> {
    if (!manager) return this.dataSource.transaction((m) => this.file(input, m))
    const where = await this.places.unitContext(input.unitId, manager)
    const decision = await this.routing.route(manager, where, input.category)
    const now = this.clock.now()
    const deadlines = computeDeadlines({ filedAt: now, severity: decision.rule.severity })
    const ticket = await manager.getRepository(Ticket).save(
      manager.getRepository(Ticket).create({
        unitId: where.unit.id,
        buildingId: where.building.id,
        compoundId: where.compound.id,
        category: input.category,
        severity: decision.rule.severity,
        state: 'submitted',
        channel: input.channel,
        description: input.description,
        reporterResidentId: input.reporterResidentId ?? null,
        proxyName: input.proxy?.name ?? null,
        proxyPhone: input.proxy?.phone ?? null,
        proxyStaffId: input.proxy?.staffId ?? null,
        handlerStaffId: decision.handler?.staffId ?? null,
        handlerRole: decision.handler?.role ?? null,
        coRoles: decision.rule.coRoles,
        ...deadlines,
        createdAt: now,
      }),
    )
    const actor: { kind: ActorKind; id: string | null } = input.proxy
      ? { kind: 'staff', id: input.proxy.staffId }
      : { kind: 'resident', id: input.reporterResidentId ?? null }
    const events = manager.getRepository(TicketEvent)
    await events.save([
      events.create({ ticketId: ticket.id, at: now, actorKind: actor.kind, actorId: actor.id, type: 'filed', public: true, data: { channel: input.channel } }),
      events.create({
        ticketId: ticket.id,
        at: now,
        actorKind: 'system',
        actorId: null,
        type: 'routed',
        public: true,
        data: { role: decision.handler?.role ?? null, reason: decision.reason },
      }),
    ])
    return ticket
  }
}
