/**
 * Records every response of an in-process test app with its caller, for the personal-data scan of the
 * whole suite (pii-scan.ts). Test apps record when global setup has made a recording directory.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify'
import { appendFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { DataSource } from 'typeorm'
import { OPENID, PHONE, RESIDENT_NAMES, type RecordedCaller, type RecordedResponse } from './pii-scan'

/** Set by global setup: where recordings and log files go. */
export function recordingDir(): string | null {
  return process.env.MQ_SECURITY_RECORD_DIR ?? null
}

const MAX_BODY = 512 * 1024

function currentSpec(): string {
  const state = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.()
  return state?.testPath ? relative(join(__dirname, '..', '..'), state.testPath) : 'unknown'
}

function mayHoldPersonalData(text: string): boolean {
  return (
    new RegExp(PHONE.source).test(text) ||
    new RegExp(OPENID.source).test(text) ||
    RESIDENT_NAMES.some((n) => text.includes(n))
  )
}

function sessionMe(body: string): string[] {
  try {
    const me = (JSON.parse(body) as { me?: Record<string, unknown> }).me ?? {}
    return Object.values(me).filter((v): v is string => typeof v === 'string')
  } catch (error: unknown) {
    void error // not JSON: no session, nothing of the caller's own
    return []
  }
}

function sentBody(body: unknown): string {
  if (body === undefined || body === null) return ''
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body.toString()
  try {
    return JSON.stringify(body)
  } catch (error: unknown) {
    // A body nested 100 000 deep (the hostile suite's) parses, and is refused by validation, but is
    // too deep to stringify again: record that, not a 500 the application never sent.
    void error
    return '(body too deep to record)'
  }
}

async function residentOwn(dataSource: DataSource, residentId: string): Promise<string[]> {
  try {
    // The mobile number they verified for text messages is theirs too (sms/resident-mobile.entity.ts).
    const [me] = await dataSource.query<
      { name: string | null; phone: string | null; openid: string | null; mobile: string | null }[]
    >(
      `SELECT r.name, r.phone, r.openid, m.phone AS mobile
         FROM resident r LEFT JOIN resident_mobile m ON m.resident_id = r.id WHERE r.id = $1`,
      [residentId],
    )
    return [me?.name, me?.phone, me?.openid, me?.mobile].filter((v): v is string => !!v)
  } catch (error: unknown) {
    // The database-fault tests stop PostgreSQL under the app: record without the resident's own values
    // (a false alarm at worst) rather than change the response under test.
    void error
    return []
  }
}

/** Adds the recording hook; call before the first request (Fastify takes no hooks once ready). */
export function recordResponses(app: NestFastifyApplication, dataSource: DataSource, dir: string): void {
  const file = join(dir, `responses-${process.pid}.jsonl`)
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '')
      if (!/json|text|xml|csv/.test(type) || !(typeof payload === 'string' || Buffer.isBuffer(payload)))
        return payload
      const body = payload.toString().slice(0, MAX_BODY)
      const principal = request.principal
      const caller: RecordedCaller = { kind: principal?.kind ?? 'anonymous', roles: [], own: [] }
      if (principal?.kind === 'staff') {
        caller.roles = [...new Set(principal.memberships.map((m) => m.role))]
        caller.own = [principal.phone, principal.name]
      } else if (principal?.kind === 'resident' && mayHoldPersonalData(body)) {
        // What the resident may always see of themselves; looked up only when the body could need it.
        caller.own = await residentOwn(dataSource, principal.residentId)
      }
      if (!principal && reply.statusCode === 200 && request.url.startsWith('/api/auth/'))
        // A login answers with the session of whoever just signed in: its `me` is the caller's own.
        caller.own = sessionMe(body)
      const record: RecordedResponse = {
        spec: currentSpec(),
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0],
        status: reply.statusCode,
        caller,
        sent: `${request.url} ${sentBody(request.body)}`,
        body,
      }
      appendFileSync(file, JSON.stringify(record) + '\n')
      return payload
    })
}
