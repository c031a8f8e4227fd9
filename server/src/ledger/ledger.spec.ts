import { maskName, maskPhone, maskRoom } from '@mq/shared'
import ExcelJS from 'exceljs'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, count, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import type { Ticket } from '../tickets/ticket.entity'
import { ticketNumber } from '../tickets/ticket.view'
import { LEDGER_COLUMNS } from './ledger.service'
import { LedgerModule } from './ledger.module'
import { TicketsModule } from '../tickets/tickets.module'

describe('GET /api/ledger.xlsx (工作台账)', () => {
  let t: TestApp
  let c: CompoundFixture
  let resident: Resident
  let pm: Staff
  let police: Staff
  let grid: Staff
  let filed: Ticket
  let proxied: Ticket

  beforeAll(async () => {
    t = await startTestModule({ imports: [LedgerModule, TicketsModule], http: true })
    c = await makeCompound(t, [1])
    resident = await makeResident(t, { name: '台账居民', phone: '13712349876' })
    pm = await makeStaff(t, 'property_manager', c.compound, '台账物业')
    police = await makeStaff(t, 'police', c.compound, '台账民警')
    grid = await makeStaff(t, 'grid_lead', c.compound, '台账网格长')
    filed = await makeTicket(t, { unit: c.units[0][0], resident, room: '1203', state: 'closed' })
    proxied = await makeTicket(t, {
      unit: c.units[0][0],
      proxy: { name: '代录老人', phone: '13712345555', staff: grid },
      category: 'elderly_care',
      state: 'rejected',
    })
  })
  afterAll(() => t.close())

  const day = 86_400_000
  const range = () =>
    `from=${new Date(Date.now() - day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`

  async function ledger(who: Staff, query = `placeId=${c.compound.id}&${range()}`) {
    const res = await t.app.inject({ method: 'GET', url: `/api/ledger.xlsx?${query}`, headers: await authHeader(t, { staff: who }) })
    if (res.statusCode !== 200) return { status: res.statusCode, rows: [] as Record<string, string>[] }
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.getWorksheet('工作台账')!
    const header = (sheet.getRow(1).values as string[]).slice(1)
    expect(header).toEqual(LEDGER_COLUMNS.map((col) => col.header))
    const rows: Record<string, string>[] = []
    sheet.eachRow((row, n) => {
      if (n === 1) return
      const values = (row.values as unknown[]).slice(1)
      rows.push(Object.fromEntries(LEDGER_COLUMNS.map((col, i) => [col.header, String(values[i] ?? '')])))
    })
    return { status: 200, rows }
  }

  it('lists the period’s requests with the street office’s columns, personal data in full for 物业', async () => {
    const before = await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [pm.id])
    const { rows } = await ledger(pm)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({
      编号: ticketNumber(filed.number),
      楼栋单元: '1幢1单元',
      分类: '公共设施报修',
      渠道: '小程序',
      状态: '已销号',
      办理结果: '已处理',
      评价: '5',
      反映人: '台账居民',
      联系电话: '13712349876',
      房号: '1203',
    })
    expect(rows[0].承办人).toContain('物业')
    expect(rows[0].登记时间).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
    expect(rows[0].受理时限).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
    expect(rows[1]).toMatchObject({
      编号: ticketNumber(proxied.number),
      分类: '生活需求与助老',
      办理结果: '不属于本系统受理范围',
      反映人: '代录老人',
      联系电话: '13712345555',
    })
    // Each full disclosure is in the access log.
    expect(await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [pm.id])).toBe(before + 2)
  })

  it('masks personal data for roles that may not see it', async () => {
    const { rows } = await ledger(police)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({
      反映人: maskName('台账居民'),
      联系电话: maskPhone('13712349876'),
      房号: maskRoom('1203'),
    })
    expect(rows[1]).toMatchObject({ 反映人: maskName('代录老人'), 联系电话: maskPhone('13712345555') })
    const all = JSON.stringify(rows)
    for (const secret of ['台账居民', '13712349876', '代录老人', '13712345555']) expect(all).not.toContain(secret)
    expect(await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [police.id])).toBe(0)
  })

  it('answers 404 outside the caller’s scope, 403 for admins, and is empty outside the period', async () => {
    const other = await makeCompound(t, [1])
    const outsider = await makeStaff(t, 'property_manager', other.compound)
    const admin = await makeStaff(t, 'admin', c.community)
    expect((await ledger(outsider)).status).toBe(404)
    expect((await ledger(admin)).status).toBe(403)
    const empty = await ledger(pm, `placeId=${c.compound.id}&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`)
    expect(empty.rows).toEqual([])
  })
})
