import { randomUUID } from 'node:crypto'
import { LEDGER_COLUMNS, LEDGER_ROWS_HEADER, maskName, maskPhone, maskRoom } from '@mq/shared'
import ExcelJS from 'exceljs'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, count, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import type { Ticket } from '../tickets/ticket.entity'
import { ticketNumber } from '../tickets/ticket.view'
import { LedgerModule } from './ledger.module'
import { LEDGER_PAGE_SIZE } from './ledger.service'
import { TicketsModule } from '../tickets/tickets.module'

type Row = Record<string, string>

describe('GET /api/ledger.xlsx (工作台账)', () => {
  let t: TestApp
  let c: CompoundFixture
  let neighbour: CompoundFixture
  let resident: Resident
  let pm: Staff
  let police: Staff
  let grid: Staff
  let admin: Staff
  let filed: Ticket
  let proxied: Ticket
  let elsewhere: Ticket

  /** A photo row of the request, of the problem (report) or of the fix (resolution). */
  async function photo(ticket: Ticket, kind: 'report' | 'resolution'): Promise<string> {
    const id = randomUUID()
    await t.dataSource.query(
      `INSERT INTO photo (id, uploader_kind, uploader_id, ticket_id, kind, content_type, size, sha256, storage_key)
       VALUES ($1, 'staff', $2, $3, $4, 'image/jpeg', 3, 'x', $5)`,
      [id, pm.id, ticket.id, kind, `ledger/${id}`],
    )
    return id
  }

  async function message(ticket: Ticket, text: string, photoIds: string[] = []): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO ticket_event (ticket_id, at, actor_kind, actor_id, actor_role, type, public, data)
       VALUES ($1, now(), 'staff', $2, 'property_manager', 'message', false, $3)`,
      [ticket.id, pm.id, JSON.stringify({ kind: 'to_reporter', text, photoIds })],
    )
  }

  beforeAll(async () => {
    t = await startTestModule({ imports: [LedgerModule, TicketsModule], http: true })
    c = await makeCompound(t, [1])
    neighbour = await makeCompound(t, [1])
    resident = await makeResident(t, { name: '台账居民', phone: '13712349876' })
    pm = await makeStaff(t, 'property_manager', c.compound, '台账物业')
    police = await makeStaff(t, 'police', c.compound, '台账民警')
    grid = await makeStaff(t, 'grid_lead', c.compound, '台账网格长')
    admin = await makeStaff(t, 'admin', c.community, '台账管理员')
    await makeStaff(t, 'property_manager', neighbour.compound, '邻居物业')
    filed = await makeTicket(t, { unit: c.units[0][0], resident, room: '1203', state: 'closed' })
    await t.dataSource.query(`UPDATE ticket SET description = $2 WHERE id = $1`, [
      filed.id,
      '3-502门口楼道灯坏了，联系我13712349876',
    ])
    proxied = await makeTicket(t, {
      unit: c.units[0][0],
      proxy: { name: '代录老人', phone: '13712345555', staff: grid },
      category: 'elderly_care',
      state: 'rejected',
    })
    elsewhere = await makeTicket(t, { unit: neighbour.units[0][0], resident, room: '0808' })
    // Two photos of the problem, one of them sent in the thread (so it is the thread's), one of the fix.
    await photo(filed, 'report')
    const inThread = await photo(filed, 'report')
    await photo(filed, 'resolution')
    await message(filed, '师傅下午三点到')
    await message(filed, '现场照片', [inThread])
  })
  afterAll(() => t.close())

  const day = 86_400_000
  const range = () =>
    `from=${new Date(Date.now() - day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`

  async function ledger(who: Staff, query = `placeId=${c.compound.id}&${range()}`) {
    const res = await t.app.inject({ method: 'GET', url: `/api/ledger.xlsx?${query}`, headers: await authHeader(t, { staff: who }) })
    if (res.statusCode !== 200) return { status: res.statusCode, body: res.json<{ code: string }>(), rows: [] as Row[], declared: -1 }
    expect(res.headers['content-type']).toContain('spreadsheetml')
    expect(res.headers['content-disposition']).toContain('attachment')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.getWorksheet('工作台账')!
    const header = (sheet.getRow(1).values as string[]).slice(1)
    expect(header).toEqual(LEDGER_COLUMNS.map((col) => col.header))
    const rows: Row[] = []
    sheet.eachRow((row, n) => {
      if (n === 1) return
      const values = (row.values as unknown[]).slice(1)
      rows.push(Object.fromEntries(LEDGER_COLUMNS.map((col, i) => [col.header, String(values[i] ?? '')])))
    })
    return { status: 200, body: null, rows, declared: Number(res.headers[LEDGER_ROWS_HEADER]) }
  }

  it('lists the period’s requests with description, public text, thread and photo counts; personal data in full for 物业', async () => {
    const before = await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [pm.id])
    // The proxy entry was once handed away from a handler and reopened twice by ratings (回退, 重办次数).
    await t.dataSource.query(
      `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
       VALUES ($1, now(), 'system', 'transferred', false, '{"fromRole": "grid_lead", "toRole": "property_manager"}')`,
      [proxied.id],
    )
    await t.dataSource.query('UPDATE ticket SET reopen_count = 2 WHERE id = $1', [proxied.id])
    const { rows, declared } = await ledger(pm)
    expect(rows).toHaveLength(2)
    expect(declared).toBe(2)
    expect(rows[0]).toMatchObject({
      编号: ticketNumber(filed.number),
      楼栋单元: '1幢1单元',
      分类: '公共设施报修',
      问题描述: '3-502门口楼道灯坏了，联系我13712349876',
      渠道: '小程序',
      状态: '已销号',
      办理结果: '已处理',
      沟通条数: '2',
      反映照片: '1',
      办结照片: '1',
      回退: '否',
      重办次数: '0',
      评价: '5',
      反映人: '台账居民',
      联系电话: '13712349876',
      房号: '1203',
    })
    // The public text is the words with personal data redacted, never the raw words.
    expect(rows[0].公示内容).toContain('楼道灯坏了')
    expect(rows[0].公示内容).not.toContain('13712349876')
    expect(rows[0].公示内容).not.toContain('3-502')
    expect(rows[0].承办人).toContain('物业')
    expect(rows[0].登记时间).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
    expect(rows[0].受理时限).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
    expect(rows[1]).toMatchObject({
      编号: ticketNumber(proxied.number),
      分类: '生活需求与助老',
      办理结果: '不属于本系统受理范围',
      沟通条数: '0',
      反映照片: '0',
      办结照片: '0',
      回退: '是',
      重办次数: '2',
      反映人: '代录老人',
      联系电话: '13712345555',
    })
    // Each full disclosure is in the access log, with the role that allowed it.
    expect(await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [pm.id])).toBe(before + 2)
    expect(
      await count(t.dataSource, `SELECT 1 FROM access_log WHERE staff_id = $1 AND ticket_id = $2 AND role = 'property_manager'`, [
        pm.id,
        filed.id,
      ]),
    ).toBeGreaterThan(0)
  })

  it('masks personal data for roles that may not see it, and logs nothing', async () => {
    const { rows } = await ledger(police)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({
      反映人: maskName('台账居民'),
      联系电话: maskPhone('13712349876'),
      房号: maskRoom('1203'),
    })
    expect(rows[1]).toMatchObject({ 反映人: maskName('代录老人'), 联系电话: maskPhone('13712345555') })
    const personal = JSON.stringify(rows.map((r) => [r.反映人, r.联系电话, r.房号]))
    for (const secret of ['台账居民', '13712349876', '代录老人', '13712345555', '1203']) expect(personal).not.toContain(secret)
    expect(await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [police.id])).toBe(0)
  })

  it('admins export the places under them, personal data masked, nothing logged', async () => {
    const { status, rows } = await ledger(admin)
    expect(status).toBe(200)
    expect(rows.map((r) => r.编号)).toEqual([ticketNumber(filed.number), ticketNumber(proxied.number)])
    expect(rows[0]).toMatchObject({ 反映人: maskName('台账居民'), 联系电话: maskPhone('13712349876'), 房号: maskRoom('1203') })
    expect(rows[1]).toMatchObject({ 反映人: maskName('代录老人'), 联系电话: maskPhone('13712345555') })
    expect(await count(t.dataSource, 'SELECT 1 FROM access_log WHERE staff_id = $1', [admin.id])).toBe(0)
  })

  it('never shows another compound’s requests, even from a place above both', async () => {
    // The admin sits at compound 1's community; the neighbour's request is in another community.
    const above = await ledger(admin, `placeId=${c.community.id}&${range()}`)
    expect(above.rows.map((r) => r.编号)).not.toContain(ticketNumber(elsewhere.number))
    expect(above.rows).toHaveLength(2)
    // A supervisor over both compounds' district sees each compound's file apart.
    const district = await makeStaff(t, 'district_supervisor', neighbour.district)
    const theirs = await ledger(district, `placeId=${neighbour.compound.id}&${range()}`)
    expect(theirs.rows.map((r) => r.编号)).toEqual([ticketNumber(elsewhere.number)])
    expect(theirs.rows[0]).toMatchObject({ 反映人: maskName('台账居民'), 房号: maskRoom('0808') })
    // Compound 1's staff and admin get a 404 for the neighbour, in the product's error shape.
    for (const who of [pm, admin]) {
      const res = await ledger(who, `placeId=${neighbour.compound.id}&${range()}`)
      expect(res.status).toBe(404)
      expect(res.body).toMatchObject({ code: 'PLACE_NOT_FOUND' })
    }
  })

  it('answers 400 for a bad period and is empty outside the period', async () => {
    const backwards = await ledger(pm, `placeId=${c.compound.id}&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`)
    expect(backwards.status).toBe(400)
    expect(backwards.body).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect((await ledger(pm, `placeId=not-a-uuid&${range()}`)).status).toBe(400)
    const empty = await ledger(pm, `placeId=${c.compound.id}&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`)
    expect(empty.rows).toEqual([])
    expect(empty.declared).toBe(0)
  })

  it('streams more than a page of requests in order, each once', async () => {
    const big = await makeCompound(t, [1])
    const lead = await makeStaff(t, 'grid_lead', big.compound)
    const n = LEDGER_PAGE_SIZE + 3
    // Proxy entries filed now, numbered on from the sequence.
    await t.dataSource.query(
      `INSERT INTO ticket (number, unit_id, building_id, compound_id, category, severity, state, channel, description,
                           handler_role, proxy_name, proxy_phone, created_at, updated_at)
       SELECT nextval(pg_get_serial_sequence('ticket', 'number')), $1, $2, $3, 'facilities', 'normal', 'submitted', 'visit',
              '楼道灯坏了' || g, 'grid_lead', '老人' || g, '1370000' || lpad(g::text, 4, '0'), now(), now()
         FROM generate_series(1, $4::int) g`,
      [big.units[0][0].id, big.buildings[0].id, big.compound.id, n],
    )
    const { rows, declared } = await ledger(lead, `placeId=${big.compound.id}&${range()}`)
    expect(declared).toBe(n)
    expect(rows).toHaveLength(n)
    const numbers = rows.map((r) => r.编号)
    expect(new Set(numbers).size).toBe(n)
    expect([...numbers].sort()).toEqual(numbers)
  })
})
