import { randomUUID } from 'node:crypto'
import { CategoryHintsSchema, ErrorBodySchema, suggestCategories, TicketViewSchema, type CategoryCode } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, type CompoundFixture } from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'

describe('category suggestion: what staff re-categorising teaches a compound', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let pm: Staff
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound)
    await makeStaff(t, 'police', c.compound)
    resident = await makeResident(t)
  })
  afterAll(() => t.close())

  const file = async (category: CategoryCode, description: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      payload: { unitToken: c.tokens[0][0], category, description },
      headers: { ...(await authHeader(t, { resident })), 'idempotency-key': randomUUID() },
    })
    expect(res.statusCode).toBe(201)
    return TicketViewSchema.parse(res.json()).id
  }
  const accept = async (id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/requests/${id}/accept`, payload: body, headers: await authHeader(t, { staff: pm }) })
  const hints = async (compoundId: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/category-hints?compoundId=${compoundId}` })
    expect(res.statusCode).toBe(200)
    return CategoryHintsSchema.parse(res.json())
  }

  it('moves the next suggestion in that compound, and only there', async () => {
    const next = '小区后门的铁栅栏被人掰开了一个口子'
    const before = suggestCategories(next, (await hints(c.compound.id)).terms)
    expect(before[0]?.code).not.toBe('public_security')

    // A resident filed it as 公共设施报修; the property manager accepts it as 治安安全.
    const id = await file('facilities', '后门铁栅栏被人掰开，晚上有人钻进来')
    const res = await accept(id, { category: 'public_security' })
    expect(res.statusCode).toBe(200)
    expect(TicketViewSchema.parse(res.json()).category).toBe('public_security')

    const learned = await hints(c.compound.id)
    expect(learned.terms).toEqual(expect.arrayContaining([{ term: '栅栏', category: 'public_security', count: 1 }]))
    // Words and counts only: nothing of the request beyond short phrases of Chinese characters.
    expect(learned.terms.every((x) => /^[\u4e00-\u9fff]{2,3}$/.test(x.term))).toBe(true)
    const after = suggestCategories(next, learned.terms)
    expect(after[0]).toMatchObject({ code: 'public_security', learned: true })
    expect(after[0].because).toContain('栅栏')

    // Another compound learned nothing.
    expect((await hints(other.compound.id)).terms).toEqual([])
  })

  it('counts again when it happens again; accepting without a change teaches nothing', async () => {
    const id = await file('facilities', '后门铁栅栏又坏了')
    expect((await accept(id, { category: 'public_security' })).statusCode).toBe(200)
    const twice = (await hints(c.compound.id)).terms.find((x) => x.term === '栅栏' && x.category === 'public_security')
    expect(twice?.count).toBe(2)

    const plain = await file('facilities', '单元门的闭门器坏了')
    expect((await accept(plain, {})).statusCode).toBe(200)
    expect((await hints(c.compound.id)).terms.some((x) => x.term === '闭门')).toBe(false)
  })

  it('refuses an id that is not a uuid with the error shape (400)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/category-hints?compoundId=nope' })
    expect(res.statusCode).toBe(400)
    expect(ErrorBodySchema.parse(res.json()).code).toBe('VALIDATION_FAILED')
    const missing = await t.app.inject({ method: 'GET', url: '/api/category-hints' })
    expect(missing.statusCode).toBe(400)
  })
})
