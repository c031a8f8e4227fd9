import { Injectable } from '@nestjs/common'
import {
  CATEGORIES,
  ROLE_LABELS,
  categoryOf,
  urgentSignal,
  type CategoryCode,
  type RoutingDryRun,
  type RoutingDryRunQuery,
  type RoutingRuleInput,
  type RoutingRuleList,
  type RoutingRuleView,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { DeadlineSettingsService, filedDeadlineConfig } from '../deadlines/deadline-settings.service'
import { PlacesService } from '../places/places.service'
import { recomputeDeadlines } from '../tickets/lifecycle/ticket-deadlines'
import { RoutingRuleOverride } from './routing-rule.entity'
import { RoutingService, type Assignee } from './routing.service'

/** Admins read and edit a compound's 责任清单 and try it out (dry run) before residents do. */
@Injectable()
export class RoutingAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly deadlineSettings: DeadlineSettingsService,
  ) {}

  /** Every category with the rule in force: the compound's own, else the default. */
  async list(admin: StaffPrincipal, compoundId: string): Promise<RoutingRuleList> {
    const compound = await this.places.managedCompound(admin, compoundId)
    const overrides = new Map(
      (await this.dataSource.getRepository(RoutingRuleOverride).findBy({ compoundId })).map((o) => [
        o.category,
        o,
      ]),
    )
    return {
      compound: { id: compound.id, name: compound.name },
      items: CATEGORIES.map((c) => toRuleView(c.code, overrides.get(c.code) ?? null)),
    }
  }

  async set(
    admin: StaffPrincipal,
    compoundId: string,
    category: CategoryCode,
    input: RoutingRuleInput,
  ): Promise<RoutingRuleList> {
    await this.places.managedCompound(admin, compoundId)
    await this.dataSource.getRepository(RoutingRuleOverride).upsert(
      {
        compoundId,
        category,
        leadRole: input.leadRole,
        coRoles: input.coRoles,
        severity: input.severity,
        updatedAt: this.clock.now(),
        updatedBy: admin.staffId,
      },
      ['compoundId', 'category'],
    )
    return this.list(admin, compoundId)
  }

  /** Back to the default. */
  async reset(admin: StaffPrincipal, compoundId: string, category: CategoryCode): Promise<RoutingRuleList> {
    await this.places.managedCompound(admin, compoundId)
    await this.dataSource.getRepository(RoutingRuleOverride).delete({ compoundId, category })
    return this.list(admin, compoundId)
  }

  /**
   * Who a request of `category` at `unitId` filed at `at` (default now) would go to, and why, with its
   * severity, urgency and deadlines: computed as filing computes them. Writes nothing.
   */
  async dryRun(admin: StaffPrincipal, compoundId: string, query: RoutingDryRunQuery): Promise<RoutingDryRun> {
    await this.places.managedCompound(admin, compoundId)
    const where = await this.places.unitContext(query.unitId)
    if (where.compound.id !== compoundId) throw new DomainError('PLACE_NOT_FOUND', '这个单元不在本小区')
    const manager = this.dataSource.manager
    const decision = await this.routing.route(manager, where, query.category)
    const override = await manager
      .getRepository(RoutingRuleOverride)
      .findOneBy({ compoundId, category: query.category })
    const filedAt = query.at ? new Date(query.at) : this.clock.now()
    // The compound's danger list, as filing reads it.
    const rules = await this.deadlineSettings.filingRules(where.compound, manager)
    const { urgent } = urgentSignal(
      { category: query.category, description: query.description ?? '' },
      rules.dangers,
    )
    // The deadlines a request filed then gets, by the function filing uses, with the compound's settings
    // as they are now.
    // (Typed by inference: whatever of a request the rule reads, the draft holds as filing sets it.)
    const none = null as Date | null
    const draft = {
      state: 'submitted' as const,
      severity: decision.rule.severity,
      urgent,
      handlerRole: decision.handler?.role ?? null,
      createdAt: filedAt,
      clockStartedAt: filedAt,
      pauses: [],
      acceptedAt: none,
      repliedAt: none,
      resolvedAt: none,
      promisedAt: none,
      acceptBy: none,
      replyBy: none,
      resolveBy: none,
      nextDueAt: none,
      deadlineConfig: filedDeadlineConfig(rules.deadlineConfig, urgent),
    }
    recomputeDeadlines(draft)
    return {
      rule: toRuleView(query.category, override),
      handler: decision.handler ? toAssigneeView(decision.handler) : null,
      coHandlers: decision.coHandlers.map(toAssigneeView),
      steps: decision.steps,
      reason: decision.reason,
      at: filedAt.toISOString(),
      severity: decision.rule.severity,
      urgent,
      deadlines: {
        acceptBy: draft.acceptBy?.toISOString() ?? null,
        replyBy: draft.replyBy?.toISOString() ?? null,
        resolveBy: draft.resolveBy?.toISOString() ?? null,
      },
    }
  }
}

function toRuleView(category: CategoryCode, override: RoutingRuleOverride | null): RoutingRuleView {
  const base = categoryOf(category)
  const rule = override ?? base
  return {
    category,
    categoryLabel: base.label,
    leadRole: rule.leadRole,
    coRoles: [...rule.coRoles],
    severity: rule.severity,
    source: override ? 'compound' : 'default',
    updatedAt: override?.updatedAt.toISOString() ?? null,
  }
}

function toAssigneeView(a: Assignee): RoutingDryRun['coHandlers'][number] {
  return { staffId: a.staffId, name: a.name, role: a.role, roleLabel: ROLE_LABELS[a.role], place: a.place }
}
