import ExcelJS from 'exceljs'
import {
  ErrorBodySchema,
  ResourceImportResultSchema,
  ResourceListSchema,
  ResourceMatchListSchema,
  ResourceMatchSchema,
  ResourceViewSchema,
  ROLES,
  type Role,
} from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, count, makeCompound, makeResident, makeStaff, makeTicket, membershipPlace, type CompoundFixture } from '../../test/factories'
import { Clock } from '../common/clock'
import { NeedsService } from '../needs/needs.service'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { ResourcesModule } from './resources.module'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A real XLSX file as Excel would save it: a header row, then the rows given. */
async function xlsx(rows: (string | number)[][], header = ['类型', '名称', '技能或服务', '开放时间', '地址或说明', '联系人', '联系电话', '可用情况']) {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('资源清单')
  sheet.addRow(header)
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Monday 2026-09-14, 10:00 in Shanghai: the 15th is a workday, the 19th a Saturday, the 20th a make-up workday (调休), 10-01 a holiday. */
const MONDAY = new Date('2026-09-14T02:00:00Z')

describe('resources list (资源清单) and matching', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  const staff = {} as Record<Role, Staff>
  let otherGridLead: Staff
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [ResourcesModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    other = await makeCompound(t, [1])
    for (const role of ROLES) staff[role] = await makeStaff(t, role, membershipPlace(c, role), `测试${role}`)
    otherGridLead = await makeStaff(t, 'grid_lead', other.compound)
    resident = await makeResident(t)
  })
  afterAll(() => t.close())
  afterEach(() => jest.restoreAllMocks())

  const asStaff = async (who: Staff, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: await authHeader(t, { staff: who }), ...(payload === undefined ? {} : { payload: payload as object }) })
  const upload = async (who: Staff, compoundId: string, body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/resources/compounds/${compoundId}/import`,
      headers: { ...(await authHeader(t, { staff: who })), 'content-type': XLSX },
      payload: body,
    })
  const resourceCount = (compoundId: string) => count(t.dataSource, 'SELECT 1 FROM resource WHERE compound_id = $1', [compoundId])
  const logCount = (resourceId: string) => count(t.dataSource, `SELECT 1 FROM access_log WHERE subject = 'resource' AND resource_id = $1`, [resourceId])

  it('imports an XLSX sheet all or nothing: every bad row listed in Chinese with its row number, then a valid sheet', async () => {
    const bad = await xlsx([
      ['志愿者', '李阿姨', '理发、陪诊', '', '3幢旁', '李秀英', '13800001111', '工作日上午'],
      ['老师', '实验小学', '', '', '', '', '', ''],
      ['场地', '居民活动室', '下棋', '', '', '', '', ''],
      ['志愿者', '', '维修', '', '', '王强', '12345', ''],
      ['志愿者', '李阿姨', '', '', '', '李秀英', '13800001111', ''],
    ])
    const res = await upload(staff.grid_lead, c.compound.id, bad)
    expect(res.statusCode).toBe(400)
    const body = ErrorBodySchema.parse(res.json())
    expect(body.code).toBe('VALIDATION_FAILED')
    expect(body.message).toContain('未导入任何数据')
    expect(body.details).toEqual([
      { path: 'row 3', message: '类型「老师」不对，须为 单位、志愿者 或 场地' },
      { path: 'row 4', message: '场地须填写开放时间' },
      { path: 'row 5', message: '名称不能为空' },
      { path: 'row 5', message: '联系电话须为手机号或带区号的座机号' },
      { path: 'row 6', message: '与第2行重复' },
    ])
    expect(await resourceCount(c.compound.id)).toBe(0)

    const good = await xlsx([
      ['志愿者', '李阿姨', '理发、陪诊', '', '3幢旁', '李秀英', '13800001111', '工作日上午'],
      ['单位', '实验小学', '场地开放,志愿讲座', '', '学院路1号', '张校长', '0571-87650000', ''],
      ['场地', '居民活动室', '下棋', '每天 8:00-20:00', '1幢架空层', '', '', ''],
    ])
    const ok = await upload(staff.grid_lead, c.compound.id, good)
    expect(ok.statusCode).toBe(201)
    expect(ResourceImportResultSchema.parse(ok.json())).toEqual({ created: 3, updated: 0 })
    // The same sheet again updates the rows of the same kind and name: nothing twice.
    const again = await upload(staff.admin, c.compound.id, good)
    expect(ResourceImportResultSchema.parse(again.json())).toEqual({ created: 0, updated: 3 })
    expect(await resourceCount(c.compound.id)).toBe(3)

    const list = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}&q=陪诊`)).json())
    expect(list.items.map((r) => [r.kind, r.name, r.tags])).toEqual([['volunteer', '李阿姨', ['理发', '陪诊']]])
    const venues = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}&kind=venue`)).json())
    expect(venues.items.map((r) => [r.name, r.openingHours])).toEqual([['居民活动室', '每天 8:00-20:00']])
  })

  it('refuses broken files in the product’s error shape, and imports only for the compound’s 网格长 and admins', async () => {
    const broken = await upload(staff.grid_lead, c.compound.id, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('not a zip')]))
    expect(broken.statusCode).toBe(400)
    expect(ErrorBodySchema.parse(broken.json()).message).toContain('无法读取 Excel 文件')
    const sheet = await xlsx([['志愿者', '赵师傅', '水电', '', '', '赵', '13800002222', '']])
    expect((await upload(staff.police, c.compound.id, sheet)).statusCode).toBe(403)
    expect((await upload(staff.property_manager, c.compound.id, sheet)).statusCode).toBe(403)
    expect((await upload(otherGridLead, c.compound.id, sheet)).statusCode).toBe(404)
    const template = await asStaff(staff.grid_lead, 'GET', '/api/resources/import-template.xlsx')
    expect(template.statusCode).toBe(200)
    expect(template.headers['content-type']).toContain(XLSX)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(template.rawPayload as unknown as ExcelJS.Buffer)
    expect(book.worksheets[0].getRow(1).values).toEqual([undefined, '类型', '名称', '技能或服务', '开放时间', '地址或说明', '联系人', '联系电话', '可用情况'])
    expect((await asStaff(staff.police, 'GET', '/api/resources/import-template.xlsx')).statusCode).toBe(403)
  })

  it('masks volunteers’ contacts for every role but the compound’s 网格长, 物业 and 自管小组, whose every full read is logged; residents and the public get nothing', async () => {
    const list = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}&kind=volunteer`)).json())
    const volunteer = list.items.find((r) => r.name === '李阿姨')!
    // Lists are masked for everyone, the full-data roles included.
    expect([volunteer.contactName, volunteer.contactPhone, volunteer.contactMasked]).toEqual(['李**', '138****1111', true])
    expect(list.contactsInFull).toBe(true)

    const seen: Record<string, string> = {}
    for (const role of ROLES) {
      const before = await logCount(volunteer.id)
      const res = await asStaff(staff[role], 'GET', `/api/resources/${volunteer.id}`)
      if (res.statusCode !== 200) {
        seen[role] = String(res.statusCode)
        expect(await logCount(volunteer.id)).toBe(before)
        continue
      }
      const view = ResourceViewSchema.parse(res.json())
      seen[role] = `${view.contactName} ${view.contactPhone}`
      expect(await logCount(volunteer.id)).toBe(view.contactMasked ? before : before + 1)
    }
    expect(seen).toEqual({
      grid_lead: '李秀英 13800001111',
      property_manager: '李秀英 13800001111',
      self_management_lead: '李秀英 13800001111',
      police: '李** 138****1111',
      traffic_police: '李** 138****1111',
      city_management: '李** 138****1111',
      market_supervision: '李** 138****1111',
      building_lead: '李** 138****1111',
      liaison: '李** 138****1111',
      compound_secretary: '李** 138****1111',
      community_supervisor: '李** 138****1111',
      street_supervisor: '李** 138****1111',
      district_supervisor: '李** 138****1111',
      admin: '李** 138****1111',
    })
    const [entry] = await t.dataSource.query<
      { staff_id: string; role: string; fields: string[]; request_id: string | null; ticket_id: null; household_id: null }[]
    >(
      `SELECT staff_id, role, fields, request_id, ticket_id, household_id FROM access_log WHERE subject = 'resource' AND resource_id = $1 ORDER BY id LIMIT 1`,
      [volunteer.id],
    )
    expect(entry).toMatchObject({ staff_id: staff.grid_lead.id, role: 'grid_lead', fields: ['name', 'phone'], ticket_id: null, household_id: null })
    expect(entry.request_id).toBeTruthy()
    // The log is append-only.
    await expect(t.dataSource.query('DELETE FROM access_log WHERE resource_id = $1', [volunteer.id])).rejects.toThrow(/append-only/)

    // Another compound's staff, residents and the public.
    expect((await asStaff(otherGridLead, 'GET', `/api/resources/${volunteer.id}`)).statusCode).toBe(404)
    expect((await asStaff(otherGridLead, 'GET', `/api/resources?compoundId=${c.compound.id}`)).statusCode).toBe(404)
    const residentHeaders = await authHeader(t, { resident })
    expect((await t.app.inject({ method: 'GET', url: `/api/resources/${volunteer.id}`, headers: residentHeaders })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: `/api/resources?compoundId=${c.compound.id}` })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: `/api/resources/${volunteer.id}` })).statusCode).toBe(401)
  })

  it('is kept by the compound’s 网格长 and admins: others read it; taking a volunteer off the list clears the contact', async () => {
    const created = await asStaff(staff.grid_lead, 'POST', '/api/resources', {
      compoundId: c.compound.id,
      kind: 'volunteer',
      name: '钱师傅',
      tags: ['水电维修'],
      contactName: '钱建国',
      contactPhone: '13900003333',
    })
    expect(created.statusCode).toBe(201)
    const view = ResourceViewSchema.parse(created.json())
    expect(view.contactName).toBe('钱建国')
    const byAdmin = ResourceViewSchema.parse(
      (await asStaff(staff.admin, 'PATCH', `/api/resources/${view.id}`, { availability: '周末全天' })).json(),
    )
    // The admin's answer is masked, and the contact they did not send is unchanged.
    expect([byAdmin.availability, byAdmin.contactName, byAdmin.contactPhone]).toEqual(['周末全天', '钱**', '139****3333'])
    expect((await asStaff(staff.police, 'PATCH', `/api/resources/${view.id}`, { name: '改名' })).statusCode).toBe(403)
    expect((await asStaff(otherGridLead, 'PATCH', `/api/resources/${view.id}`, { name: '改名' })).statusCode).toBe(404)
    expect(
      (await asStaff(staff.grid_lead, 'POST', '/api/resources', { compoundId: c.compound.id, kind: 'volunteer', name: 'x', contactPhone: '110' })).statusCode,
    ).toBe(400)

    const off = ResourceViewSchema.parse((await asStaff(staff.grid_lead, 'PATCH', `/api/resources/${view.id}`, { active: false })).json())
    expect([off.active, off.contactName, off.contactPhone]).toEqual([false, null, null])
    const [row] = await t.dataSource.query<{ contact_name: string | null; contact_phone: string | null }[]>(
      'SELECT contact_name, contact_phone FROM resource WHERE id = $1',
      [view.id],
    )
    expect(row).toEqual({ contact_name: null, contact_phone: null })
    const active = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}`)).json())
    expect(active.items.some((r) => r.id === view.id)).toBe(false)
  })

  it('matches a request to resources with an owner and a working-day target date, shows the matches to staff and ticks them off (销号)', async () => {
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(MONDAY)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident, category: 'elderly_care' })
    const list = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}`)).json())
    const volunteer = list.items.find((r) => r.name === '李阿姨')!
    const venue = list.items.find((r) => r.name === '居民活动室')!
    expect(list.owners.map((o) => o.staffId)).toContain(staff.property_manager.id)
    const base = {
      subject: 'ticket',
      subjectId: ticket.id,
      resourceIds: [volunteer.id, venue.id],
      owner: { staffId: staff.property_manager.id },
      targetDate: '2026-09-15',
      note: '周二上午上门理发',
    }
    const weekend = await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', { ...base, targetDate: '2026-09-19' })
    expect(weekend.statusCode).toBe(400)
    expect(ErrorBodySchema.parse(weekend.json()).message).toBe('目标日期须为工作日：2026-09-19 是周末，最近的工作日是 2026-09-20')
    const holiday = await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', { ...base, targetDate: '2026-10-01' })
    expect(ErrorBodySchema.parse(holiday.json()).message).toContain('国庆节')
    expect(ErrorBodySchema.parse((await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', { ...base, targetDate: '2026-09-11' })).json()).message).toBe('目标日期不能早于今天')
    // Not a handler of the compound as owner; another compound's resource; a supervisor who only reads.
    expect((await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', { ...base, owner: { staffId: otherGridLead.id } })).statusCode).toBe(400)
    const foreign = ResourceViewSchema.parse(
      (await asStaff(otherGridLead, 'POST', '/api/resources', { compoundId: other.compound.id, kind: 'unit', name: '别处的单位' })).json(),
    )
    expect((await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', { ...base, resourceIds: [foreign.id] })).statusCode).toBe(404)
    expect((await asStaff(staff.community_supervisor, 'POST', '/api/resources/matches', base)).statusCode).toBe(403)
    expect((await asStaff(otherGridLead, 'POST', '/api/resources/matches', base)).statusCode).toBe(404)

    const made = await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', base)
    expect(made.statusCode).toBe(201)
    const matches = ResourceMatchListSchema.parse(made.json())
    expect(matches.items.map((m) => [m.resource.name, m.owner.name, m.targetDate, m.status, m.overdue])).toEqual([
      ['居民活动室', '测试property_manager', '2026-09-15', 'open', false],
      ['李阿姨', '测试property_manager', '2026-09-15', 'open', false],
    ])
    const byRole = ResourceMatchListSchema.parse(
      (await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', { ...base, resourceIds: [venue.id], owner: { role: 'self_management_lead' } })).json(),
    )
    expect(byRole.items).toHaveLength(3)

    // The request shows its matches to staff who see it; the supervisor reads them but may not tick.
    const forSupervisor = ResourceMatchListSchema.parse(
      (await asStaff(staff.community_supervisor, 'GET', `/api/resources/matches?subject=ticket&subjectId=${ticket.id}`)).json(),
    )
    expect([forSupervisor.canMatch, forSupervisor.items.every((m) => !m.canTick)]).toEqual([false, true])
    expect((await asStaff(otherGridLead, 'GET', `/api/resources/matches?subject=ticket&subjectId=${ticket.id}`)).statusCode).toBe(404)
    const residentHeaders = await authHeader(t, { resident })
    expect((await t.app.inject({ method: 'GET', url: `/api/resources/matches?subject=ticket&subjectId=${ticket.id}`, headers: residentHeaders })).statusCode).toBe(403)

    // The owner ticks off; a handler who is neither owner, maker nor 网格长 may not; twice is refused.
    const first = matches.items.find((m) => m.resource.name === '李阿姨')!
    const policeTry = await asStaff(staff.police, 'POST', `/api/resources/matches/${first.id}/done`, { note: '已办' })
    expect(policeTry.statusCode).toBe(403)
    expect((await asStaff(staff.property_manager, 'POST', `/api/resources/matches/${first.id}/done`, { note: '' })).statusCode).toBe(400)
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2026-09-16T02:00:00Z'))
    const done = await asStaff(staff.property_manager, 'POST', `/api/resources/matches/${first.id}/done`, { note: '李阿姨已上门理发' })
    expect(done.statusCode).toBe(201)
    expect(ResourceMatchSchema.parse(done.json())).toMatchObject({ status: 'done', doneNote: '李阿姨已上门理发', doneBy: { id: staff.property_manager.id }, canTick: false })
    expect((await asStaff(staff.property_manager, 'POST', `/api/resources/matches/${first.id}/done`, { note: '再销一次' })).statusCode).toBe(409)
    // A holder of the owning role ticks off the role's match.
    const roleMatch = byRole.items.find((m) => m.owner.role === 'self_management_lead')!
    expect((await asStaff(staff.self_management_lead, 'POST', `/api/resources/matches/${roleMatch.id}/done`, { note: '活动室已借出' })).statusCode).toBe(201)
    const after = ResourceMatchListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources/matches?subject=ticket&subjectId=${ticket.id}`)).json())
    // Open ones first; the open one is past its date now.
    expect(after.items.map((m) => [m.resource.name, m.status, m.overdue])).toEqual([
      ['居民活动室', 'open', true],
      ['居民活动室', 'done', false],
      ['李阿姨', 'done', false],
    ])
    expect(after.items[0].canTick).toBe(true) // the 网格长 made it
    expect((await asStaff(otherGridLead, 'POST', `/api/resources/matches/${after.items[0].id}/done`, { note: '不是我的' })).statusCode).toBe(404)
  })

  it('matches a need (居民需求) too: staff who handle needs there match and tick off; others get 404', async () => {
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(MONDAY)
    const need = await t.app.get(NeedsService).create({
      source: 'staff',
      compoundId: c.compound.id,
      title: '老年助餐',
      description: '希望小区里有老年食堂',
      createdBy: { kind: 'staff', staffId: staff.grid_lead.id },
    })
    const list = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}&kind=unit`)).json())
    const school = list.items.find((r) => r.name === '实验小学')!
    const input = { subject: 'need', subjectId: need.id, resourceIds: [school.id], owner: { staffId: staff.grid_lead.id }, targetDate: '2026-09-18' }
    expect((await asStaff(otherGridLead, 'POST', '/api/resources/matches', input)).statusCode).toBe(404)
    const made = ResourceMatchListSchema.parse((await asStaff(staff.grid_lead, 'POST', '/api/resources/matches', input)).json())
    expect(made.items.map((m) => [m.subject, m.subjectId, m.resource.name, m.owner.name])).toEqual([['need', need.id, '实验小学', '测试grid_lead']])
    const done = await asStaff(staff.grid_lead, 'POST', `/api/resources/matches/${made.items[0].id}/done`, { note: '学校食堂每周三对老人开放' })
    expect(ResourceMatchSchema.parse(done.json()).status).toBe('done')
    // The resource's count of open matches follows.
    const after = ResourceListSchema.parse((await asStaff(staff.grid_lead, 'GET', `/api/resources?compoundId=${c.compound.id}&kind=unit`)).json())
    expect(after.items.find((r) => r.id === school.id)!.openMatches).toBe(0)
  })
})
