import { ErrorBodySchema, StaffImportResultSchema } from '@mq/shared'
import ExcelJS from 'exceljs'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  makeCompound,
  makeStaff,
  newPhone,
  type CompoundFixture,
} from '../../test/factories'
import { StaffAdminModule } from './staff-admin.module'

const CSV = 'text/csv'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

describe('POST /api/admin/staff/import (CSV and XLSX)', () => {
  let t: TestApp
  let c: CompoundFixture
  let headers: { authorization: string }
  beforeAll(async () => {
    t = await startTestModule({ imports: [StaffAdminModule], http: true })
    c = await makeCompound(t, [2, 1])
    headers = await authHeader(t, { staff: await makeStaff(t, 'admin', c.community) })
  })
  afterAll(() => t.close())

  const upload = (body: Buffer | string, contentType = CSV, placeId = c.compound.id) =>
    t.app.inject({
      method: 'POST',
      url: `/api/admin/staff/import?placeId=${placeId}`,
      headers: { ...headers, 'content-type': contentType },
      payload: body,
    })
  const staffCount = () => count(t.dataSource, 'SELECT 1 FROM staff')
  const login = (phone: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/staff/login', payload: { phone, password } })

  it('imports a CSV: one account per person, one membership per row, generated passwords returned once', async () => {
    const [wang, chen, wu] = [newPhone(), newPhone(), newPhone()]
    const csv = [
      '姓名,手机号,角色,楼栋,单元,初始密码',
      `王丽,${wang},网格长,,,Grid2026a`,
      `王丽,${wang},居民自管小组组长,,,`,
      `陈刚,${chen.slice(0, 3)}-${chen.slice(3, 7)}-${chen.slice(7)},police,,,`,
      '',
      `吴建国,${wu},楼道长,1幢,2单元,`,
    ].join('\r\n')
    const res = await upload(`\uFEFF${csv}`) // Excel's "CSV UTF-8" starts with a BOM
    expect(res.statusCode).toBe(201)
    const { accounts } = StaffImportResultSchema.parse(res.json())
    expect(accounts.map((a) => [a.row, a.name, a.phone, a.memberships])).toEqual([
      [2, '王丽', wang, 2],
      [4, '陈刚', chen, 1],
      [6, '吴建国', wu, 1],
    ])
    expect(accounts[0].initialPassword).toBeNull() // the sheet gave one
    expect((await login(wang, 'Grid2026a')).statusCode).toBe(200)
    expect((await login(chen, accounts[1].initialPassword!)).statusCode).toBe(200)
    const memberships = await t.dataSource.query<{ role: string; place_id: string }[]>(
      `SELECT m.role, m.place_id FROM membership m JOIN staff s ON s.id = m.staff_id WHERE s.phone = ANY($1) ORDER BY s.phone, m.role`,
      [[wu]],
    )
    expect(memberships).toEqual([{ role: 'building_lead', place_id: c.units[0][1].id }])
  })

  it('imports an XLSX, phone numbers typed as numbers included', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('人员')
    sheet.addRow(['name', 'phone', 'role', 'building'])
    const [a, b] = [newPhone(), newPhone()]
    sheet.addRow(['孙伟', Number(a), '城管', ''])
    sheet.addRow(['冯涛', b, '物业', '2幢'])
    const res = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), XLSX)
    expect(res.statusCode).toBe(201)
    const { accounts } = StaffImportResultSchema.parse(res.json())
    expect(accounts.map((x) => [x.row, x.name, x.phone])).toEqual([
      [2, '孙伟', a],
      [3, '冯涛', b],
    ])
  })

  it('a file with bad rows imports nothing and lists every error with its row', async () => {
    const good = newPhone()
    const taken = (await makeStaff(t, 'police', c.compound)).phone
    const dup = newPhone()
    const csv = [
      '姓名,手机号,角色,楼栋,单元,初始密码',
      `好人,${good},网格长,,,`, // row 2: fine on its own
      `,12345,班长,,,`, // row 3: no name, bad phone, unknown role
      `重复,${taken},民警,,,`, // row 4: phone already has an account; 民警 is not a role label
      `某人,${newPhone()},楼道长,9幢,,`, // row 5: no such building
      `某人,${newPhone()},街道,,,`, // row 6: a street supervisor cannot sit in a compound
      `弱密码,${newPhone()},物业,,,abcdefgh`, // row 7: password policy
      `甲,${dup},物业,,,`,
      `乙,${dup},物业,,,`, // row 9: same phone, different name; and a duplicate membership
      `丙,${newPhone()},物业,,3单元,`, // row 10: unit without building
    ].join('\n')
    const before = await staffCount()
    const res = await upload(csv)
    expect(res.statusCode).toBe(400)
    const body = ErrorBodySchema.parse(res.json())
    expect(body.code).toBe('VALIDATION_FAILED')
    expect(body.message).toMatch(/未导入任何数据/)
    const byRow = (row: number) => body.details!.filter((d) => d.path === `row ${row}`).map((d) => d.message)
    expect(byRow(2)).toEqual([])
    expect(byRow(3)).toEqual(['姓名不能为空', '手机号「12345」不是11位手机号', '没有「班长」这个角色'])
    expect(byRow(4)).toEqual([expect.stringMatching(/已有账号/), '没有「民警」这个角色'])
    expect(byRow(5)).toEqual(['本小区没有「9幢」'])
    expect(byRow(6)).toEqual(['街道只能设在街道'])
    expect(byRow(7)).toEqual(['初始密码：密码须同时包含字母和数字'])
    expect(byRow(9)).toEqual(['手机号与第8行相同，但姓名不同', '与第8行重复'])
    expect(byRow(10)).toEqual(['填写单元时须同时填写楼栋'])
    expect(await staffCount()).toBe(before)
    expect(await count(t.dataSource, 'SELECT 1 FROM staff WHERE phone = $1', [good])).toBe(0)
  })

  it('refuses empty files, files without data, and places outside the admin’s scope', async () => {
    expect((await upload(Buffer.alloc(0))).statusCode).toBe(400)
    const headerOnly = await upload('姓名,手机号,角色\n')
    expect(headerOnly.statusCode).toBe(400)
    expect(headerOnly.json().details).toEqual([{ path: 'file', message: '文件中没有数据行' }])
    expect((await upload(Buffer.from('PK\u0003\u0004 not really a zip'), XLSX)).statusCode).toBe(400)
    const other = await makeCompound(t, [1])
    const outside = await upload(`姓名,手机号,角色\n某人,${newPhone()},物业\n`, CSV, other.compound.id)
    expect(outside.statusCode).toBe(404)
    expect((await upload('{}', 'application/json')).statusCode).toBe(400)
  })
})
