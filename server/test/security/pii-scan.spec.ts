/**
 * The personal-data scan that global teardown runs over the whole suite (pii-scan.ts) fails for real:
 * planted leaks in a scratch recording are found, allowed sightings are not, and a live app's responses
 * and log lines reach the recording.
 */
import { Logger } from '@nestjs/common'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp } from '../app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket } from '../factories'
import { DEMO_RESIDENT } from '../../src/demo/demo-data'
import { scanRecordings, type RecordedResponse } from './pii-scan'
import { recordResponses } from './recorder'

const record = (over: Partial<RecordedResponse>): RecordedResponse => ({
  spec: 'planted',
  method: 'GET',
  route: '/api/requests/:id',
  status: 200,
  caller: { kind: 'resident', roles: [], own: [] },
  sent: '/api/requests/1',
  body: '{}',
  ...over,
})

describe('personal-data scan', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mq-pii-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('finds planted leaks and lets the allowed sightings pass', async () => {
    const other = '13912345678'
    const lines: RecordedResponse[] = [
      // Leaks: another person's phone to a resident, an openid to the public, a resident's name to an admin.
      record({ body: JSON.stringify({ reporter: { phone: other } }) }),
      record({
        caller: { kind: 'anonymous', roles: [], own: [] },
        body: `{"openid":"${DEMO_RESIDENT.openid}"}`,
      }),
      record({
        caller: { kind: 'staff', roles: ['admin'], own: ['13800000014'] },
        body: '{"name":"测试居民"}',
      }),
      record({ caller: { kind: 'staff', roles: ['police'], own: [] }, body: `{"text":"回电${other}"}` }),
      // Allowed: their own, what they sent, a personal-data role, an admin reading staff phones, masked values.
      record({ caller: { kind: 'resident', roles: [], own: [other] }, body: `{"phone":"${other}"}` }),
      record({
        method: 'POST',
        sent: `/api/requests/proxy {"residentPhone":"${other}"}`,
        body: `{"phone":"${other}"}`,
      }),
      record({
        caller: { kind: 'staff', roles: ['property_manager'], own: [] },
        body: `{"phone":"${other}","name":"测试居民"}`,
      }),
      record({ caller: { kind: 'staff', roles: ['admin'], own: [] }, body: '{"phone":"13800000001"}' }),
      record({ body: '{"phone":"139****5678","name":"测***","id":"4f1c2a9e-1390-4a55-8a1d-139123456780"}' }),
    ]
    await writeFile(join(dir, 'responses-1.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
    await writeFile(
      join(dir, 'app-1.log'),
      '{"level":30,"msg":"request completed","req":{"path":"/api/requests"}}\n' +
        `{"level":50,"msg":"send failed for ${DEMO_RESIDENT.openid}"}\n`,
    )
    const result = scanRecordings(dir)
    expect(result.responses).toBe(lines.length)
    expect(result.logLines).toBe(2)
    expect(result.leaks.map((l) => `${l.kind} ${l.value}`)).toEqual([
      `openid ${DEMO_RESIDENT.openid}`, // the log line (log files sort first)
      `phone ${other}`,
      `openid ${DEMO_RESIDENT.openid}`,
      'name 测试居民',
      `phone ${other}`,
    ])
  })

  it('a live app records its responses with the caller, and its log lines, for the scan', async () => {
    const t = await startTestApp({ LOG_LEVEL: 'info', LOG_FILE: join(dir, 'app-live.log') })
    recordResponses(t.app, t.dataSource, dir)
    try {
      const c = await makeCompound(t, [1])
      const resident = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
      const pm = await makeStaff(t, 'property_manager', c.compound)
      const police = await makeStaff(t, 'police', c.compound)
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/me', headers: await authHeader(t, { resident }) }))
          .body,
      ).toContain(resident.phone!)
      for (const staff of [pm, police])
        await t.app.inject({
          method: 'GET',
          url: `/api/requests/${ticket.id}`,
          headers: await authHeader(t, { staff }),
        })
      // The logger's redaction holds for fields named phone; a phone number inside a message does not.
      const logger = new Logger('Planted')
      logger.log({ msg: 'redacted', phone: resident.phone })
      logger.warn(`回拨 ${resident.phone}`)
    } finally {
      await t.close()
    }
    const result = scanRecordings(dir)
    expect(result.responses).toBeGreaterThanOrEqual(3)
    expect(result.logLines).toBeGreaterThanOrEqual(5)
    // Only the planted log line: the resident's own phone and the 物业's unmasked read are allowed.
    expect(result.leaks).toEqual([
      expect.objectContaining({ kind: 'phone', where: expect.stringContaining('回拨') }),
    ])
  })
})
