import { TicketPageSchema } from '@mq/shared'
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
 * The SQL statements behind one page of the lists people work from (test/statements.ts): who is calling
 * (one statement: the session, the staff member and their memberships), the page of ids, the rows (my requests: the page and its rows in one statement, loadListedPage). The
 * ceilings are the counts measured; docs/performance.md has the inbox's cost per statement.
 */
const INBOX_CEILING = 3
const MINE_CEILING = 2

describe('round trips per list page', () => {
  let t: TestApp
  let c: CompoundFixture
  let gridLead: Staff
  let secretary: Staff
  let resident: Resident
  let counter: StatementCounter
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    counter = countStatements(t)
    c = await makeCompound(t, [1])
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    secretary = await makeStaff(t, 'compound_secretary', c.compound, '书记李')
    resident = await makeResident(t)
    for (const [n, description] of ['楼道灯不亮了', '垃圾没人清理'].entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/requests',
        payload: { unitToken: c.tokens[0][0], category: 'facilities', description },
        headers: {
          ...(await authHeader(t, { resident })),
          'idempotency-key': `list-round-trips-${process.pid}-${n}`,
        },
      })
      expect(res.json()).toMatchObject({ description })
    }
  })
  afterAll(async () => {
    counter.restore()
    await t.close()
  })

  const page = async (url: string, who: { staff: Staff } | { resident: Resident }) => {
    const headers = await authHeader(t, who)
    // The first call warms what the server caches once per process; the second is the one counted.
    await t.app.inject({ method: 'GET', url, headers })
    const { response, statements } = await counter.inject({ method: 'GET', url, headers })
    expect(response.statusCode).toBe(200)
    const body = TicketPageSchema.parse(response.json())
    expect(body.total).toBe(2)
    expect(body.items).toHaveLength(2)
    return statements
  }

  it("a compound secretary's inbox: the compound's open requests", async () => {
    const statements = await page('/api/requests/inbox?filter=all&page=1&pageSize=20', { staff: secretary })
    counter.report('supervisor inbox', statements)
    expect(statements.length).toBeLessThanOrEqual(INBOX_CEILING)
  })

  it("a grid lead's inbox: the requests they handle", async () => {
    const statements = await page('/api/requests/inbox?filter=all&page=1&pageSize=20', { staff: gridLead })
    counter.report('handler inbox', statements)
    expect(statements.length).toBeLessThanOrEqual(INBOX_CEILING)
  })

  it("a resident's requests", async () => {
    const statements = await page('/api/requests/mine?page=1&pageSize=20', { resident })
    counter.report('my requests', statements)
    expect(statements.length).toBeLessThanOrEqual(MINE_CEILING)
  })
})
