import { Injectable } from '@nestjs/common'
import {
  dateInWords,
  fillTemplate,
  mayAct,
  TEMPLATE_PLACE_KINDS,
  type CategoryCode,
  type CompoundTemplates,
  type FilledTemplates,
  type ReplyTemplate,
  type ReplyTemplateCreateInput,
  type ReplyTemplateUpdateInput,
  type TemplateAction,
  type TemplatePlaceKind,
} from '@mq/shared'
import { DataSource, In, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { StaffService } from '../staff/staff.service'
import { TicketsService } from '../tickets/tickets.service'
import { AfterPhotoService } from './after-photo.service'
import { ReplyTemplateRow } from './reply-template.entity'

const isTemplatePlace = (place: Place): place is Place & { kind: TemplatePlaceKind } =>
  (TEMPLATE_PLACE_KINDS as readonly string[]).includes(place.kind)

const notFound = () => new DomainError('TEMPLATE_NOT_FOUND', '找不到这条常用回复')

/** A template as it is seeded or written by code (the demo's defaults). */
export type TemplateSeed = Pick<ReplyTemplateRow, 'category' | 'action' | 'title' | 'text'>

/**
 * Reply templates (常用回复): admins keep them at a compound, community or street (manage_places over that
 * place); staff handling a request get those of its compound and the places above it, filled in for the
 * request. Nearer wins: a compound's template stands in for its community's or street's of the same action,
 * category and title; all others are listed, the compound's first.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly tickets: TicketsService,
    private readonly afterPhoto: AfterPhotoService,
    private readonly clock: Clock,
  ) {}

  /** The templates a compound's staff see, every level's (shadowed ones too, so admins see both), nearest first. */
  async forCompound(admin: StaffPrincipal, compoundId: string): Promise<CompoundTemplates> {
    const compound = await this.places.managedCompound(admin, compoundId)
    const places = await this.templatePlaces(compound.path)
    const rows = await this.rowsAt(places.map((p) => p.id))
    return {
      compoundId,
      places: places.map((p) => ({
        id: p.id,
        kind: p.kind,
        name: p.name,
        manageable: mayAct(admin.memberships, 'manage_places', p.path),
      })),
      templates: rows.map((row) => toView(row, places)),
    }
  }

  async create(admin: StaffPrincipal, input: ReplyTemplateCreateInput): Promise<ReplyTemplate> {
    const place = await this.managedPlace(admin, input.placeId)
    const repo = this.dataSource.getRepository(ReplyTemplateRow)
    const row = await repo.save(
      repo.create({
        placeId: place.id,
        category: input.category,
        action: input.action,
        title: input.title,
        text: input.text,
        updatedAt: this.clock.now(),
        updatedBy: admin.staffId,
      }),
    )
    return toView(row, [place])
  }

  async update(admin: StaffPrincipal, id: string, input: ReplyTemplateUpdateInput): Promise<ReplyTemplate> {
    const { row, place } = await this.managedTemplate(admin, id)
    Object.assign(row, {
      category: input.category,
      action: input.action,
      title: input.title,
      text: input.text,
      updatedAt: this.clock.now(),
      updatedBy: admin.staffId,
    })
    await this.dataSource.getRepository(ReplyTemplateRow).save(row)
    return toView(row, [place])
  }

  async remove(admin: StaffPrincipal, id: string): Promise<void> {
    const { row } = await this.managedTemplate(admin, id)
    await this.dataSource.getRepository(ReplyTemplateRow).delete({ id: row.id })
  }

  /**
   * The templates for handling one request with `action`, placeholders filled: {编号} its number, {日期}
   * today in words, {负责人} and {电话} its handler's name and phone (the caller's when it has none).
   */
  async filled(staff: StaffPrincipal, ticketId: string, action: TemplateAction): Promise<FilledTemplates> {
    const facts = await this.tickets.handlingFacts(staff, ticketId)
    const places = await this.templatePlaces(facts.placePath.slice(0, -2))
    const rows = applicable(await this.rowsAt(places.map((p) => p.id), action), facts.category)
    const handler =
      (facts.handlerStaffId ? await this.staff.scope(facts.handlerStaffId) : null) ?? (await this.staff.scope(staff.staffId))
    const values = {
      number: facts.number,
      date: dateInWords(this.clock.now()),
      handler: handler?.staff.name ?? '',
      phone: handler?.staff.phone ?? '',
    }
    const required = facts.reportPhotos > 0 && (await this.afterPhoto.required(facts.compoundId, facts.category))
    return {
      action,
      templates: rows.map((row) => ({
        id: row.id,
        title: row.title,
        text: fillTemplate(row.text, values),
        placeKind: places.find((p) => p.id === row.placeId)!.kind,
        category: row.category,
      })),
      afterPhoto: { beforePhotos: facts.reportPhotos, required },
    }
  }

  /** Writes templates at a place, for code that sets up places (the demo's defaults). */
  async seed(manager: EntityManager, placeId: string, templates: readonly TemplateSeed[], at: Date): Promise<void> {
    const repo = manager.getRepository(ReplyTemplateRow)
    await repo.save(templates.map((t) => repo.create({ ...t, placeId, updatedAt: at, updatedBy: null })))
  }

  /** Of the places on `path` (outermost first), those that keep templates, nearest first. */
  private async templatePlaces(path: readonly string[]): Promise<(Place & { kind: TemplatePlaceKind })[]> {
    const found = await Promise.all(path.map((id) => this.places.get(id)))
    return found.filter(isTemplatePlace).reverse()
  }

  /** Templates kept at `placeIds` (nearest first): by place in that order, then action, category-specific first, title. */
  private async rowsAt(placeIds: string[], action?: TemplateAction): Promise<ReplyTemplateRow[]> {
    if (placeIds.length === 0) return []
    const rows = await this.dataSource
      .getRepository(ReplyTemplateRow)
      .findBy(action ? { placeId: In(placeIds), action } : { placeId: In(placeIds) })
    const rank = (row: ReplyTemplateRow) => placeIds.indexOf(row.placeId)
    return rows.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        a.action.localeCompare(b.action) ||
        Number(a.category === null) - Number(b.category === null) ||
        a.title.localeCompare(b.title, 'zh') ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    )
  }

  /** A place that keeps templates and that the admin manages; PLACE_NOT_FOUND otherwise, 400 for a building or unit. */
  private async managedPlace(admin: StaffPrincipal, placeId: string): Promise<Place> {
    const place = await this.places.get(placeId)
    if (place.retiredAt || !mayAct(admin.memberships, 'manage_places', place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    if (!isTemplatePlace(place)) {
      throw new DomainError('VALIDATION_FAILED', '常用回复只能设在小区、社区或街道', [
        { path: 'placeId', message: '请选择小区、社区或街道' },
      ])
    }
    return place
  }

  private async managedTemplate(admin: StaffPrincipal, id: string): Promise<{ row: ReplyTemplateRow; place: Place }> {
    const row = await this.dataSource.getRepository(ReplyTemplateRow).findOneBy({ id })
    if (!row) throw notFound()
    const place = await this.places.get(row.placeId)
    if (!mayAct(admin.memberships, 'manage_places', place.path)) throw notFound()
    return { row, place }
  }
}

/**
 * Those of a request's category or of any; of the same action, category and title only the nearest
 * (rows come nearest first).
 */
function applicable(rows: ReplyTemplateRow[], category: CategoryCode): ReplyTemplateRow[] {
  const seen = new Set<string>()
  return rows.filter((row) => {
    if (row.category !== null && row.category !== category) return false
    const key = `${row.category ?? '*'}|${row.title}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function toView(row: ReplyTemplateRow, places: readonly Place[]): ReplyTemplate {
  const place = places.find((p) => p.id === row.placeId)!
  return {
    id: row.id,
    placeId: row.placeId,
    placeKind: place.kind as TemplatePlaceKind,
    placeName: place.name,
    category: row.category,
    action: row.action,
    title: row.title,
    text: row.text,
    updatedAt: row.updatedAt.toISOString(),
  }
}
