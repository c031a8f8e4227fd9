import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgendaCandidates, Board, MeetingDetail, MeetingList, TicketView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../test/factories'
import { BoardModule } from '../board/board.module'
import { Clock } from '../common/clock'
import { NeedsService } from '../needs/needs.service'
import { statusNote } from '../open311/open311.service'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { MeetingsModule } from './meetings.module'

// Monday 2026-12-07 10:00 in Shanghai: the 10th is a Thursday (a working day), the 12th a Saturday.
const MONDAY_10 = '2026-12-07T02:00:00.000Z'
const hasPoppler = spawnSync('pdftoppm', ['-v']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0

/** The PDF's text (pdftotext) and its first page as a PNG (pdftoppm). */
async function pdfTextAndPng(pdf: Buffer): Promise<{ text: string; png: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-minutes-'))
  try {
    await writeFile(join(dir, 'in.pdf'), pdf)
    const text = spawnSync('pdftotext', ['-layout', 'in.pdf', '-'], { cwd: dir })
    if (text.status !== 0) throw new Error(`pdftotext failed: ${text.stderr.toString()}`)
    const png = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', 'in.pdf', 'out'], { cwd: dir })
    if (png.status !== 0) throw new Error(`pdftoppm failed: ${png.stderr.toString()}`)
    return { text: text.stdout.toString(), png: await readFile(join(dir, 'out.png')) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('joint meetings (联席会议)', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let resident: Resident
  let grid: Staff
  let property: Staff
  let police: Staff
  let buildingLead: Staff
  let supervisor: Staff
  let outsider: Staff
  let admin: Staff
  const ids: Record<string, string> = {}
  let now = MONDAY_10

  beforeAll(async () => {
    t = await startTestModule({ imports: [MeetingsModule, BoardModule, TicketsModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [2, 1])
    other = await makeCompound(t, [1])
    resident = await makeResident(t, { name: '议事居民甲', phone: '13712340077' })
    grid = await makeStaff(t, 'grid_lead', c.compound, '网格长王一')
    property = await makeStaff(t, 'property_manager', c.compound, '物业李二')
    police = await makeStaff(t, 'police', c.compound, '民警赵三')
    buildingLead = await makeStaff(t, 'building_lead', c.buildings[0], '楼道长孙四')
    supervisor = await makeStaff(t, 'community_supervisor', c.community, '社区周五')
    outsider = await makeStaff(t, 'compound_secretary', other.compound, '别的书记')
    admin = await makeStaff(t, 'admin', c.community, '管理员')
    const unit = c.units[0][0]
    const complex = await makeTicket(t, { unit, resident, state: 'accepted', severity: 'complex', room: '3-502' })
    await t.dataSource.query(`UPDATE ticket SET description = $2 WHERE id = $1`, [
      complex.id,
      '我叫议事居民甲，电话13712340077，3-502室楼上漏水三个月了',
    ])
    ids.complex = complex.id
    ids.escalated = (await makeTicket(t, { unit, resident, state: 'accepted' })).id
    await t.dataSource.query(`UPDATE ticket SET escalation_level = 1 WHERE id = $1`, [ids.escalated])
    ids.coHandled = (await makeTicket(t, { unit, resident, state: 'accepted' })).id
    await t.dataSource.query(`UPDATE ticket SET co_roles = '{traffic_police}' WHERE id = $1`, [ids.coHandled])
    ids.simple = (await makeTicket(t, { unit, resident, state: 'accepted' })).id
    ids.closedComplex = (await makeTicket(t, { unit, resident, state: 'rejected', severity: 'complex' })).id
    ids.foreign = (await makeTicket(t, { unit: other.units[0][0], resident, state: 'accepted', severity: 'complex' })).id
    const need = await t.app.get(NeedsService).create({
      source: 'staff',
      compoundId: c.compound.id,
      title: '加装电梯',
      description: '老人上下楼难',
      createdBy: { kind: 'staff', staffId: grid.id },
    })
    ids.need = need.id
  })
  afterAll(() => t.close())

  const asResident = () => authHeader(t, { resident })
  const call = async (who: Staff, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: await authHeader(t, { staff: who }), ...(payload ? { payload } : {}) })
  const create = (who: Staff, body: object = {}) =>
    call(who, 'POST', '/api/meetings', {
      compoundId: c.compound.id,
      kind: 'nine_heads',
      title: '12月九长大会',
      startsAt: '2026-12-08T06:00:00.000Z',
      place: '社区议事厅',
      attendeeRoles: ['grid_lead', 'property_manager', 'police'],
      ...body,
    })
  let meetingId: string

  it('lets the 网格长, the secretary and supervisors above organise; others of the compound are refused, outsiders see nothing', async () => {
    expect((await create(property)).statusCode).toBe(403)
    expect((await create(buildingLead)).statusCode).toBe(403)
    expect((await create(outsider)).statusCode).toBe(404)
    expect((await create(admin)).statusCode).toBe(403)
    expect((await create(supervisor, { attendeeRoles: ['admin'] })).statusCode).toBe(400)
    const res = await create(grid)
    expect(res.statusCode).toBe(200)
    const meeting = res.json<MeetingDetail>()
    meetingId = meeting.id
    expect(meeting).toMatchObject({ status: 'planned', title: '12月九长大会', place: '社区议事厅', mayOrganise: true })
    // Attendees by role, with the names of the compound's holders (staff only).
    expect(meeting.attendees).toEqual([
      { role: 'grid_lead', label: '网格长', names: ['网格长王一'] },
      { role: 'police', label: '辖区民警', names: ['民警赵三'] },
      { role: 'property_manager', label: '物业', names: ['物业李二'] },
    ])
    // Every reader of the compound reads it (a 楼道长 of one building too), not another compound's staff.
    expect((await call(buildingLead, 'GET', `/api/meetings/${meetingId}`)).statusCode).toBe(200)
    expect((await call(outsider, 'GET', `/api/meetings/${meetingId}`)).statusCode).toBe(404)
    const list = (await call(police, 'GET', `/api/meetings?compoundId=${c.compound.id}`)).json<MeetingList>()
    expect(list).toMatchObject({ mayOrganise: false, meetings: [{ id: meetingId, agendaCount: 0 }] })
  })

  it('offers open complex, escalated and co-handled requests and open needs, in public words only', async () => {
    const res = await call(grid, 'GET', `/api/meetings/${meetingId}/candidates`)
    expect(res.statusCode).toBe(200)
    const { candidates } = res.json<AgendaCandidates>()
    const byId = new Map(candidates.map((x) => [x.id, x]))
    expect(byId.get(ids.complex)?.reasons).toEqual(['complex'])
    expect(byId.get(ids.escalated)?.reasons).toEqual(['escalated'])
    expect(byId.get(ids.coHandled)?.reasons).toEqual(['co_handled'])
    expect(byId.get(ids.need)).toMatchObject({ source: 'need', title: '加装电梯', reasons: ['need'] })
    for (const absent of [ids.simple, ids.closedComplex, ids.foreign]) expect(byId.has(absent)).toBe(false)
    expect(res.body).not.toContain('议事居民甲')
    expect(res.body).not.toContain('13712340077')
    expect(res.body).not.toContain('3-502')
    expect((await call(police, 'GET', `/api/meetings/${meetingId}/candidates`)).statusCode).toBe(403)
  })

  it('puts requests and needs on the agenda once, and nothing that is not a candidate', async () => {
    const add = (body: object) => call(grid, 'POST', `/api/meetings/${meetingId}/agenda`, body)
    expect((await add({ source: 'request', id: ids.complex })).statusCode).toBe(200)
    expect((await add({ source: 'request', id: ids.complex })).statusCode).toBe(409)
    expect((await add({ source: 'request', id: ids.simple })).statusCode).toBe(404)
    expect((await add({ source: 'request', id: ids.foreign })).statusCode).toBe(404)
    const res = await add({ source: 'need', id: ids.need })
    expect(res.statusCode).toBe(200)
    const agenda = res.json<MeetingDetail>().agenda
    expect(agenda.map((a) => [a.source, a.reasons])).toEqual([
      ['request', ['complex']],
      ['need', ['need']],
    ])
    expect(agenda[0].number).toMatch(/^MQ\d{6}$/)
    expect(res.body).not.toContain('议事居民甲')
  })

  it('records decisions once held, due on a working day, redacted, and on the request’s public timeline', async () => {
    const meeting = (await call(grid, 'GET', `/api/meetings/${meetingId}`)).json<MeetingDetail>()
    const item = meeting.agenda[0]
    const decide = (body: object) =>
      call(grid, 'POST', `/api/meetings/${meetingId}/decisions`, {
        agendaItemId: item.id,
        ownerRole: 'property_manager',
        targetDate: '2026-12-10',
        publicSummary: '物业联系楼上住户，两周内修好防水；议事居民甲电话13712340077',
        internalNote: '楼上住户不配合时请民警到场',
        ...body,
      })
    expect((await decide({})).statusCode).toBe(409) // not held yet
    expect((await call(police, 'POST', `/api/meetings/${meetingId}/held`)).statusCode).toBe(403)
    expect((await call(grid, 'POST', `/api/meetings/${meetingId}/held`)).json<MeetingDetail>().status).toBe('held')
    expect((await decide({ targetDate: '2026-12-12' })).json<{ message: string }>().message).toContain('须为工作日')
    expect((await decide({ targetDate: '2026-12-04' })).statusCode).toBe(400)
    expect((await decide({ ownerStaffId: police.id })).statusCode).toBe(404) // not a 物业
    const res = await decide({})
    expect(res.statusCode).toBe(200)
    const [decision] = res.json<MeetingDetail>().decisions
    expect(decision).toMatchObject({ status: 'open', overdue: false, ownerLabel: '物业', ticketId: ids.complex, targetDate: '2026-12-10' })
    expect(decision.publicSummary).toContain('物业联系楼上住户')
    expect(decision.publicSummary).not.toContain('13712340077')
    expect(decision.publicSummary).not.toContain('议事居民甲')
    expect(decision.internalNote).toBe('楼上住户不配合时请民警到场')
    // A general decision (no agenda item) owned by a named staff member.
    const general = await decide({ agendaItemId: null, ownerRole: 'police', ownerStaffId: police.id, targetDate: '2026-12-14', publicSummary: '民警每周巡查一次车棚' })
    expect(general.json<MeetingDetail>().decisions[1]).toMatchObject({ ownerLabel: '辖区民警 民警赵三', ticketId: null })

    // The resident reads it on their request's timeline.
    const view = await t.app.inject({ method: 'GET', url: `/api/requests/${ids.complex}`, headers: await asResident() })
    const entry = view.json<TicketView>().timeline.find((e) => e.type === 'meeting_decision')
    expect(entry).toMatchObject({ public: true, data: { meetingTitle: '12月九长大会', ownerLabel: '物业', targetDate: '2026-12-10' } })
    expect(String(entry?.data.summary)).toContain('物业联系楼上住户')
    expect(view.body).not.toContain('楼上住户不配合')
    // Open311 partners read it as the request's status note.
    expect(statusNote(entry!)).toMatch(/^议事会决定：物业联系楼上住户.*（物业负责，2026-12-10前落实）$/)
  })

  it('shows held meetings’ decisions on the public board by role and public words, never a name or an internal note', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}` })
    expect(res.statusCode).toBe(200)
    const { decisions } = res.json<Board>()
    expect(decisions.map((d) => d.ownerLabel).sort()).toEqual(['物业', '辖区民警'])
    const onRequest = decisions.find((d) => d.requestNumber !== null)
    expect(onRequest).toMatchObject({ meetingTitle: '12月九长大会', meetingKind: 'nine_heads', status: 'open', meetingDate: '2026-12-07' })
    for (const word of ['民警赵三', '网格长王一', '楼上住户不配合', '13712340077', '议事居民甲']) expect(res.body).not.toContain(word)
  })

  it('lets the owner (or an organiser) mark a decision done, shows overdue ones, and tells the request’s timeline', async () => {
    now = '2026-12-11T02:00:00.000Z' // Friday: the Thursday target has passed
    let meeting = (await call(property, 'GET', `/api/meetings/${meetingId}`)).json<MeetingDetail>()
    const [onRequest, general] = meeting.decisions
    expect(onRequest).toMatchObject({ overdue: true, mayMarkDone: true })
    expect(general).toMatchObject({ mayMarkDone: false }) // named for the police officer
    const list = (await call(grid, 'GET', `/api/meetings?compoundId=${c.compound.id}`)).json<MeetingList>()
    expect(list.meetings[0]).toMatchObject({ decisionCount: 2, openDecisions: 2, overdueDecisions: 1 })

    const done = (who: Staff, id: string) => call(who, 'POST', `/api/meetings/decisions/${id}/done`, { note: '已换防水层，3-502室不再漏水' })
    expect((await done(police, onRequest.id)).statusCode).toBe(403)
    expect((await done(outsider, onRequest.id)).statusCode).toBe(404)
    const res = await done(property, onRequest.id)
    expect(res.statusCode).toBe(200)
    meeting = res.json<MeetingDetail>()
    expect(meeting.decisions[0]).toMatchObject({ status: 'done', overdue: false })
    expect(meeting.decisions[0].doneNote).not.toContain('3-502')
    expect((await done(property, onRequest.id)).statusCode).toBe(409)
    expect((await done(police, general.id)).statusCode).toBe(200)

    const view = await t.app.inject({ method: 'GET', url: `/api/requests/${ids.complex}`, headers: await asResident() })
    expect(view.json<TicketView>().timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['meeting_decision', 'meeting_decision_done']))
    const board = (await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}` })).json<Board>()
    expect(board.decisions.every((d) => d.status === 'done')).toBe(true)
    now = MONDAY_10
  })

  ;(hasPoppler ? it : it.skip)('prints the minutes as a PDF with the agenda and decisions and no personal data of residents', async () => {
    expect((await call(outsider, 'GET', `/api/meetings/${meetingId}/minutes.pdf`)).statusCode).toBe(404)
    const res = await call(buildingLead, 'GET', `/api/meetings/${meetingId}/minutes.pdf`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    const { text, png } = await pdfTextAndPng(res.rawPayload)
    const flat = text.replace(/\s+/g, '')
    expect(flat).toContain('九长大会·会议纪要')
    expect(flat).toContain('12月九长大会')
    expect(flat).toContain('物业联系楼上住户')
    expect(flat).toContain('加装电梯')
    expect(flat).toContain('参会方：网格长、辖区民警、物业')
    for (const word of ['议事居民甲', '13712340077', '3-502', '民警赵三', '物业李二', '楼上住户不配合']) expect(flat).not.toContain(word)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(5000)
  })
})
