import {
  AfterPhotoSettingsSchema,
  CompoundTemplatesSchema,
  ErrorBodySchema,
  FilledTemplatesSchema,
  ReplyTemplateSchema,
  TicketViewSchema,
  type CategoryCode,
  type TemplateAction,
} from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  IMAGES,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  uploadPhoto,
  type CompoundFixture,
} from '../../test/factories'
import { Clock } from '../common/clock'
import { PhotosModule } from '../photos/photos.module'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { TemplatesModule } from './templates.module'

describe('reply templates and the after photo', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let admin: Staff // at c's community
  let streetAdmin: Staff
  let otherAdmin: Staff
  let pm: Staff
  let gridLead: Staff
  let otherGridLead: Staff
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [TemplatesModule, TicketsModule, PhotosModule], http: true })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    admin = await makeStaff(t, 'admin', c.community)
    streetAdmin = await makeStaff(t, 'admin', c.street)
    otherAdmin = await makeStaff(t, 'admin', other.community)
    pm = await makeStaff(t, 'property_manager', c.compound, '冯师傅')
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '王网格')
    otherGridLead = await makeStaff(t, 'grid_lead', other.compound)
    await makeStaff(t, 'property_manager', other.compound)
    resident = await makeResident(t)
  })
  afterAll(() => t.close())
  afterEach(() => jest.restoreAllMocks())

  const call = async (who: Staff, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: await authHeader(t, { staff: who }), ...(payload === undefined ? {} : { payload: payload as object }) })
  const create = (who: Staff, payload: Record<string, unknown>) => call(who, 'POST', '/api/admin/reply-templates', payload)
  const filled = async (who: Staff, ticketId: string, action: TemplateAction) => {
    const res = await call(who, 'GET', `/api/requests/${ticketId}/reply-templates?action=${action}`)
    expect(res.statusCode).toBe(200)
    return FilledTemplatesSchema.parse(res.json())
  }
  const template = (placeId: string, action: TemplateAction, title: string, text: string, category: CategoryCode | null = null) => ({
    placeId,
    action,
    title,
    text,
    category,
  })
  const refused = (res: { statusCode: number; json: () => unknown }, status: number, code: string) => {
    expect(res.statusCode).toBe(status)
    const body = ErrorBodySchema.parse(res.json())
    expect(body.code).toBe(code)
    return body
  }

  it('lists a request’s templates from its compound, community and street, nearest first; the nearer one of a title wins; other categories’ stay out', async () => {
    for (const [who, place, title, text, category] of [
      [streetAdmin, c.street.id, '已受理', '街道：{编号}已受理', null],
      [streetAdmin, c.street.id, '街道通用', '街道通用的话', null],
      [admin, c.community.id, '已受理', '社区：{编号}已受理', null],
      [admin, c.compound.id, '已受理', '小区：{编号}已受理', null],
      [admin, c.compound.id, '报修已派单', '维修师傅会上门', 'facilities'],
      [admin, c.compound.id, '调解', '约双方调解', 'neighbor_dispute'],
    ] as const) {
      expect((await create(who, template(place, 'accept', title, text, category))).statusCode).toBe(201)
    }
    // Another action and another compound: neither shows.
    expect((await create(admin, template(c.compound.id, 'resolve', '已修好', '修好了'))).statusCode).toBe(201)
    expect((await create(otherAdmin, template(other.compound.id, 'accept', '别的小区', '别处'))).statusCode).toBe(201)

    const ticket = await makeTicket(t, { unit: c.units[0][0], resident, category: 'facilities' })
    const list = await filled(pm, ticket.id, 'accept')
    expect(list.templates.map((x) => [x.placeKind, x.title])).toEqual([
      ['compound', '报修已派单'],
      ['compound', '已受理'],
      ['street', '街道通用'],
    ])
    expect(list.templates[1].text).toBe(`小区：MQ${String(ticket.number).padStart(6, '0')}已受理`)

    // The admin console lists every level, the shadowed ones too, with the places it may change.
    const console = CompoundTemplatesSchema.parse((await call(admin, 'GET', `/api/admin/compounds/${c.compound.id}/reply-templates`)).json())
    expect(console.places.map((p) => [p.kind, p.manageable])).toEqual([
      ['compound', true],
      ['community', true],
      ['street', false],
    ])
    expect(console.templates.filter((x) => x.title === '已受理').map((x) => x.placeKind)).toEqual(['compound', 'community', 'street'])
    expect(console.templates.some((x) => x.title === '别的小区')).toBe(false)
  })

  it('fills {编号} {日期} {负责人} {电话} for the request: its handler, else the caller', async () => {
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2026-06-02T17:30:00Z')) // 6月3日 in Shanghai
    const text = '诉求{编号}于{日期}办结，{负责人}（{电话}）'
    expect((await create(admin, template(c.compound.id, 'reject', '占位符', text, 'elderly_care'))).statusCode).toBe(201)
    const routed = await makeTicket(t, { unit: c.units[0][0], resident, category: 'elderly_care' })
    const number = `MQ${String(routed.number).padStart(6, '0')}`
    // Routed to the grid lead: their name and phone, whoever asks.
    const [forPm] = (await filled(pm, routed.id, 'reject')).templates.filter((x) => x.title === '占位符')
    expect(forPm.text).toBe(`诉求${number}于2026年6月3日办结，王网格（${gridLead.phone}）`)

    // Nobody handles it: the caller's own.
    await t.dataSource.query('UPDATE ticket SET handler_staff_id = NULL, handler_role = NULL WHERE id = $1', [routed.id])
    const [mine] = (await filled(pm, routed.id, 'reject')).templates.filter((x) => x.title === '占位符')
    expect(mine.text).toBe(`诉求${number}于2026年6月3日办结，冯师傅（${pm.phone}）`)
  })

  it('edits and deletes within the admin’s places; elsewhere the template and the place do not exist', async () => {
    const made = ReplyTemplateSchema.parse((await create(admin, template(c.compound.id, 'wait', '请补充', '请补充位置'))).json())
    expect(made).toMatchObject({ placeKind: 'compound', placeName: c.compound.name, action: 'wait', category: null })

    refused(await call(otherAdmin, 'PUT', `/api/admin/reply-templates/${made.id}`, { action: 'wait', title: '改', text: '改' }), 404, 'TEMPLATE_NOT_FOUND')
    refused(await call(otherAdmin, 'DELETE', `/api/admin/reply-templates/${made.id}`), 404, 'TEMPLATE_NOT_FOUND')
    refused(await call(otherAdmin, 'GET', `/api/admin/compounds/${c.compound.id}/reply-templates`), 404, 'PLACE_NOT_FOUND')
    refused(await create(otherAdmin, template(c.compound.id, 'wait', '越界', '越界')), 404, 'PLACE_NOT_FOUND')
    // A community admin does not keep the street's templates.
    refused(await create(admin, template(c.street.id, 'wait', '越级', '越级')), 404, 'PLACE_NOT_FOUND')
    // Staff who handle requests do not keep templates.
    expect((await create(gridLead, template(c.compound.id, 'wait', '网格长', '网格长'))).statusCode).toBe(403)

    const edited = await call(admin, 'PUT', `/api/admin/reply-templates/${made.id}`, {
      action: 'wait',
      category: 'leak',
      title: '请补充漏水位置',
      text: '请告诉我们{编号}漏水的房间',
    })
    expect(edited.statusCode).toBe(200)
    expect(ReplyTemplateSchema.parse(edited.json())).toMatchObject({ id: made.id, category: 'leak', title: '请补充漏水位置' })

    expect((await call(admin, 'DELETE', `/api/admin/reply-templates/${made.id}`)).statusCode).toBe(204)
    refused(await call(admin, 'DELETE', `/api/admin/reply-templates/${made.id}`), 404, 'TEMPLATE_NOT_FOUND')
  })

  it('refuses bad templates and queries with 400s that say what is wrong', async () => {
    const unknown = refused(await create(admin, template(c.compound.id, 'accept', '错', '您好{姓名}，{编号}')), 400, 'VALIDATION_FAILED')
    expect(unknown.details).toEqual([{ path: 'text', message: '不认识的占位符 {姓名}；可用：{编号} {日期} {负责人} {电话}' }])
    refused(await create(admin, template(c.compound.id, 'accept', '', '内容')), 400, 'VALIDATION_FAILED')
    refused(await create(admin, template(c.compound.id, 'accept', '这是一个超过十二个字的很长的标题', '内容')), 400, 'VALIDATION_FAILED')
    refused(await create(admin, template(c.compound.id, 'transfer' as TemplateAction, '转办', '内容')), 400, 'VALIDATION_FAILED')
    refused(await create(admin, { ...template(c.compound.id, 'accept', '多字段', '内容'), extra: 1 }), 400, 'VALIDATION_FAILED')
    refused(await create(admin, template(c.compound.id, 'accept', '类别', '内容', 'nonsense' as CategoryCode)), 400, 'VALIDATION_FAILED')
    refused(await create(admin, template(c.compound.id, 'accept', '长', 'x'.repeat(401))), 400, 'VALIDATION_FAILED')
    const building = refused(await create(admin, template(c.buildings[0].id, 'accept', '楼栋', '内容')), 400, 'VALIDATION_FAILED')
    expect(building.message).toBe('常用回复只能设在小区、社区或街道')
    refused(await call(admin, 'PUT', '/api/admin/reply-templates/not-a-uuid', { action: 'accept', title: 'a', text: 'b' }), 400, 'VALIDATION_FAILED')

    const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
    refused(await call(pm, 'GET', `/api/requests/${ticket.id}/reply-templates?action=transfer`), 400, 'VALIDATION_FAILED')
    refused(await call(pm, 'GET', `/api/requests/${ticket.id}/reply-templates`), 400, 'VALIDATION_FAILED')
    // Outside the caller's places the request does not exist.
    refused(await call(otherGridLead, 'GET', `/api/requests/${ticket.id}/reply-templates?action=accept`), 404, 'TICKET_NOT_FOUND')
  })

  describe('the after photo', () => {
    const resolve = async (ticketId: string, photoIds: string[]) =>
      call(pm, 'POST', `/api/requests/${ticketId}/resolve`, { note: '已修好', photoIds })
    const withBefore = async (category: CategoryCode) => {
      const before = await uploadPhoto(t, { resident }, IMAGES.png)
      return makeTicket(t, { unit: c.units[0][0], resident, category, photoIds: [before], state: 'accepted' })
    }

    it('is required to resolve 公共设施报修 and 环境卫生 when the resident sent before photos; the form is told so', async () => {
      const ticket = await withBefore('facilities')
      expect((await filled(pm, ticket.id, 'resolve')).afterPhoto).toEqual({ beforePhotos: 1, required: true })
      const body = refused(await resolve(ticket.id, []), 400, 'VALIDATION_FAILED')
      expect(body.message).toBe('居民反映时附了1张照片，这类问题办结时请附上处理后的照片')
      expect(body.details).toEqual([{ path: 'photoIds', message: '请附上处理后的照片' }])

      const after = await uploadPhoto(t, { staff: pm }, IMAGES.jpeg)
      const done = await resolve(ticket.id, [after])
      expect(done.statusCode).toBe(200)
      const view = TicketViewSchema.parse(done.json())
      expect([view.state, view.photos.report.length, view.photos.resolution.length]).toEqual(['resolved', 1, 1])

      const sanitation = await withBefore('sanitation')
      refused(await resolve(sanitation.id, []), 400, 'VALIDATION_FAILED')
    })

    it('is not required without before photos, nor for other categories', async () => {
      const plain = await makeTicket(t, { unit: c.units[0][0], resident, category: 'facilities', state: 'accepted' })
      expect((await filled(pm, plain.id, 'resolve')).afterPhoto).toEqual({ beforePhotos: 0, required: false })
      expect((await resolve(plain.id, [])).statusCode).toBe(200)
      const leak = await withBefore('leak')
      expect((await filled(pm, leak.id, 'resolve')).afterPhoto).toEqual({ beforePhotos: 1, required: false })
      expect((await resolve(leak.id, [])).statusCode).toBe(200)
    })

    it('follows the compound’s own list of categories, set by its admin; null goes back to the defaults', async () => {
      const url = `/api/admin/compounds/${c.compound.id}/after-photo-settings`
      const initial = AfterPhotoSettingsSchema.parse((await call(admin, 'GET', url)).json())
      expect(initial).toMatchObject({ defaults: ['sanitation', 'facilities'], own: null, effective: ['sanitation', 'facilities'] })
      refused(await call(admin, 'PUT', url, { categories: ['nonsense'] }), 400, 'VALIDATION_FAILED')
      refused(await call(admin, 'PUT', url, { categories: ['leak', 'leak'] }), 400, 'VALIDATION_FAILED')
      refused(await call(otherAdmin, 'PUT', url, { categories: ['leak'] }), 404, 'PLACE_NOT_FOUND')

      const set = AfterPhotoSettingsSchema.parse((await call(admin, 'PUT', url, { categories: ['leak'] })).json())
      expect(set).toMatchObject({ own: ['leak'], effective: ['leak'] })
      refused(await resolve((await withBefore('leak')).id, []), 400, 'VALIDATION_FAILED')
      expect((await resolve((await withBefore('facilities')).id, [])).statusCode).toBe(200)
      // Another compound keeps the defaults.
      expect(AfterPhotoSettingsSchema.parse((await call(otherAdmin, 'GET', `/api/admin/compounds/${other.compound.id}/after-photo-settings`)).json()).effective).toEqual(['sanitation', 'facilities'])

      const back = AfterPhotoSettingsSchema.parse((await call(admin, 'PUT', url, { categories: null })).json())
      expect(back).toMatchObject({ own: null, effective: ['sanitation', 'facilities'] })
      refused(await resolve((await withBefore('facilities')).id, []), 400, 'VALIDATION_FAILED')
    })
  })
})
