import { RoutingDryRunSchema, type CategoryCode } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeStaff, type CompoundFixture } from '../../test/factories'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { RoutingModule } from './routing.module'

const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString()

describe('routing dry run with a filing time', () => {
  let t: TestApp
  let c: CompoundFixture
  let admin: Staff
  let pm: Staff
  beforeAll(async () => {
    t = await startTestModule({ imports: [RoutingModule, TicketsModule], openApi: true })
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业值班')
    await makeStaff(t, 'grid_lead', c.compound)
    await makeStaff(t, 'compound_secretary', c.compound)
    admin = await makeStaff(t, 'admin', c.community)
  })
  afterAll(() => t.close())

  const dryRun = async (query: Record<string, string>) =>
    t.app.inject({
      method: 'GET',
      url: `/api/admin/compounds/${c.compound.id}/routing/dry-run?${new URLSearchParams({
        unitId: c.units[0][0].id,
        ...query,
      })}`,
      headers: await authHeader(t, { staff: admin }),
    })
  const answer = async (category: CategoryCode, at: string, description?: string) => {
    const res = await dryRun({ category, at, ...(description ? { description } : {}) })
    expect(res.statusCode).toBe(200)
    return RoutingDryRunSchema.parse(res.json())
  }

  it('a simple request filed at 17:30 (after the cut-off): accepted by 19:30, resolved by the end of the next day', async () => {
    const run = await answer('facilities', '2026-09-29T17:30:00+08:00')
    expect(run.at).toBe(sh('2026-09-29 17:30'))
    expect(run.handler?.staffId).toBe(pm.id)
    expect(run.severity).toBe('simple')
    expect(run.urgent).toBe(false)
    expect(run.deadlines.acceptBy).toBe(sh('2026-09-29 19:30'))
    expect(run.deadlines.replyBy).toBeNull()
    expect(new Date(run.deadlines.resolveBy!).getTime()).toBe(new Date(sh('2026-09-30 23:59')).getTime() + 59_999)
  })

  it('reads the time in any offset: 09:30 UTC is 17:30 in Shanghai', async () => {
    const run = await answer('facilities', '2026-09-29T09:30:00Z')
    expect(run.deadlines.acceptBy).toBe(sh('2026-09-29 19:30'))
  })

  it('a complex request: the reply deadline, no resolution yet', async () => {
    const run = await answer('leak', '2026-09-29T10:00:00+08:00')
    expect(run.severity).toBe('complex')
    expect(run.deadlines.replyBy).not.toBeNull()
    expect(run.deadlines.resolveBy).toBeNull()
  })

  it('danger words make it urgent: acceptance 30 minutes after the filing time, at night too', async () => {
    const run = await answer('facilities', '2026-09-29T23:00:00+08:00', '电梯困人')
    expect(run.urgent).toBe(true)
    expect(run.deadlines.acceptBy).toBe(sh('2026-09-29 23:30'))
  })

  it.each([
    ['no offset', '2026-09-29T17:30:00'],
    ['not a time', 'tomorrow'],
    ['a date only', '2026-09-29'],
    ['an impossible day', '2026-02-30T10:00:00+08:00'],
  ])('refuses a filing time with %s: 400 in the product’s shape', async (_, at) => {
    const res = await dryRun({ category: 'facilities', at })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(res.json().details).toEqual([
      expect.objectContaining({ path: 'at', message: expect.stringContaining('ISO 8601') }),
    ])
  })

  it('without a time, answers for now', async () => {
    const before = Date.now()
    const res = await dryRun({ category: 'facilities' })
    expect(res.statusCode).toBe(200)
    expect(new Date(RoutingDryRunSchema.parse(res.json()).at).getTime()).toBeGreaterThanOrEqual(before - 1000)
  })

  it('is documented in the OpenAPI document: the at parameter and the answer’s severity, urgency and deadlines', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    const op = doc.paths['/api/admin/compounds/{compoundId}/routing/dry-run'].get
    const at = op.parameters.find((p: { name: string; in: string }) => p.name === 'at' && p.in === 'query')
    expect(at).toBeDefined()
    expect(at.schema).toMatchObject({ type: 'string', format: 'date-time' })
    const body = op.responses['200'].content['application/json'].schema
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['at', 'severity', 'urgent', 'deadlines']))
  })
})
