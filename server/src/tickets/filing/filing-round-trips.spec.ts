import { TicketViewSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../../test/app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  type CompoundFixture,
} from '../../../test/factories'
import { countStatements, type StatementCounter } from '../../../test/statements'
import type { Resident } from '../../residents/resident.entity'
import type { Staff } from '../../staff/staff.entity'
import { TicketsModule } from '../tickets.module'

/**
 * The SQL statements one filing sends (test/statements.ts). The ceilings are the counts measured: a change
 * that adds round trips to filing fails here; one that removes some lowers them.
 */
const RESIDENT_FILING_CEILING = 7
const PROXY_FILING_CEILING = 6
/** Parking: a traffic police lead and a property manager co-handler (two picks, a co-handler row). */
const CO_HANDLED_FILING_CEILING = 7

describe('round trips per filing', () => {
  let t: TestApp
  let c: CompoundFixture
  let gridLead: Staff
  let resident: Resident
  let counter: StatementCounter
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    counter = countStatements(t)
    c = await makeCompound(t, [1])
    await makeStaff(t, 'property_manager', c.compound, '物业王')
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    await makeStaff(t, 'traffic_police', c.compound, '交警刘')
    resident = await makeResident(t)
  })
  afterAll(async () => {
    counter.restore()
    await t.close()
  })

  let seq = 0
  const counted = async (
    url: string,
    payload: Record<string, unknown>,
    who: { resident: Resident } | { staff: Staff },
  ) => {
    const headers = {
      ...(await authHeader(t, who)),
      'idempotency-key': `round-trips-${process.pid}-${seq++}`,
    }
    const { response: res, statements } = await counter.inject({ method: 'POST', url, payload, headers })
    expect(res.statusCode).toBe(201)
    const answer = TicketViewSchema.parse(res.json())
    // The answer is built from what the filing wrote: it must be the view read back.
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${answer.id}`,
      headers: await authHeader(t, who),
    })
    expect(read.statusCode).toBe(200)
    expect(res.json()).toEqual(read.json())
    return statements
  }
  const report = (what: string, statements: string[]) => counter.report(what, statements)

  it('a resident filing by the stairwell code', async () => {
    const payload = {
      unitToken: c.tokens[0][0],
      category: 'facilities',
      description: '楼道灯不亮了',
      room: '302',
    }
    // The first filing warms what the server caches once per process; the second is the one counted.
    await counted('/api/requests', payload, { resident })
    const statements = await counted(
      '/api/requests',
      { ...payload, description: '楼道灯还是不亮' },
      { resident },
    )
    report('resident filing', statements)
    expect(statements.length).toBeLessThanOrEqual(RESIDENT_FILING_CEILING)
  })

  it('a proxy filing (代录) by a grid lead', async () => {
    const payload = {
      unitId: c.units[0][0].id,
      category: 'facilities',
      description: '电梯坏了，老人下不了楼',
      channel: 'phone',
      residentName: '李奶奶',
      residentPhone: '13700001111',
      room: '501',
    }
    await counted('/api/requests/proxy', payload, { staff: gridLead })
    const statements = await counted('/api/requests/proxy', { ...payload, room: '502' }, { staff: gridLead })
    report('proxy filing', statements)
    expect(statements.length).toBeLessThanOrEqual(PROXY_FILING_CEILING)
  })

  it('a resident filing with a co-handler', async () => {
    const payload = { unitToken: c.tokens[0][0], category: 'parking', description: '出入口被车堵住了' }
    await counted('/api/requests', payload, { resident })
    const statements = await counted(
      '/api/requests',
      { ...payload, description: '出入口又被堵了' },
      { resident },
    )
    report('co-handled filing', statements)
    expect(statements.length).toBeLessThanOrEqual(CO_HANDLED_FILING_CEILING)
  })
})
