/**
 * The personal-data scan of the whole server suite. Every in-process test app records
 * each response with its caller (test/security/recorder.ts) and writes its pino log lines to a file
 * (LOG_FILE); global teardown runs `scanRecordings` over both. A hit is a phone number, an openid or a
 * known resident name (demo and factory data) where the caller may not see it:
 *  - log lines may hold none at all (logging.ts: no bodies, no query strings, no headers);
 *  - a response may show one only to the person it belongs to, to whoever sent it in that request, to
 *    the roles that see residents' personal data (PERSONAL_DATA_ROLES: 网格长, 物业, 居民自管小组), and,
 *    for phone numbers, to admins (who manage staff accounts).
 * Scope and masking per request are the route matrix's and the BOLA probes' business; this is the net
 * under everything else the suite happens to do.
 */
import { PERSONAL_DATA_ROLES, type Role } from '@mq/shared'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_RESIDENT, DEMO_REQUESTS } from '../../src/demo/demo-data'

export interface RecordedCaller {
  kind: 'anonymous' | 'resident' | 'staff'
  /** Staff: the roles of their memberships. */
  roles: Role[]
  /** The caller's own phone, name and openid (as stored), which they may always see. */
  own: string[]
}

export interface RecordedResponse {
  /** The spec file that made the request. */
  spec: string
  method: string
  /** The route pattern (`/api/requests/:id`), or the path when no route matched. */
  route: string
  status: number
  caller: RecordedCaller
  /** What the caller sent: the path with its query and the parsed body, as text. */
  sent: string
  body: string
}

/** Mainland mobile numbers not embedded in a longer token. */
export const PHONE = /(?<![\w-])1[3-9]\d{9}(?![\w-])/g
/** WeChat openids: 28 characters starting with "o", not part of a longer token; and the demo's. */
export const OPENID = /(?<![\w-])(o[A-Za-z0-9_-]{27}|demo-openid-\d{4})(?![\w-])/g
/** Residents' names the demo and the factories use (staff names are work identities, shown by design). */
export const RESIDENT_NAMES: readonly string[] = [
  '测试居民',
  DEMO_RESIDENT.name,
  ...DEMO_REQUESTS.flatMap((t) => (t.proxy ? [t.proxy.name] : [])),
]

export interface Leak {
  where: string
  kind: 'phone' | 'openid' | 'name'
  value: string
}

export interface ScanResult {
  responses: number
  logLines: number
  leaks: Leak[]
}

function found(text: string): { kind: Leak['kind']; value: string }[] {
  const hits: { kind: Leak['kind']; value: string }[] = []
  for (const m of text.matchAll(PHONE)) hits.push({ kind: 'phone', value: m[0] })
  for (const m of text.matchAll(OPENID)) hits.push({ kind: 'openid', value: m[1] })
  for (const name of RESIDENT_NAMES) if (text.includes(name)) hits.push({ kind: 'name', value: name })
  return hits
}

/** The leaks in one recorded response (empty when the caller may see everything in it). */
export function responseLeaks(r: RecordedResponse): Leak[] {
  const personalDataRole = r.caller.roles.some((role) => PERSONAL_DATA_ROLES.includes(role))
  const admin = r.caller.roles.includes('admin')
  return found(r.body)
    .filter(({ kind, value }) => {
      if (r.sent.includes(value) || r.caller.own.includes(value) || personalDataRole) return false
      if (kind === 'phone' && admin) return false
      return true
    })
    .map((hit) => ({
      where: `${r.spec}: ${r.method} ${r.route} → ${r.status} as ${describe(r.caller)}`,
      ...hit,
    }))
}

function describe(caller: RecordedCaller): string {
  return caller.kind === 'staff' ? `staff (${caller.roles.join(', ') || 'no role'})` : caller.kind
}

/** Every line is a leak where it names anyone: logs are read by operators, not by role. */
export function logLeaks(line: string, where: string): Leak[] {
  return found(line).map((hit) => ({ where, ...hit }))
}

/** Scans every `responses-*.jsonl` and `*.log` file in `dir`. */
export function scanRecordings(dir: string): ScanResult {
  const result: ScanResult = { responses: 0, logLines: 0, leaks: [] }
  if (!existsSync(dir)) return result
  for (const file of readdirSync(dir).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)
    if (file.startsWith('responses-') && file.endsWith('.jsonl')) {
      for (const line of lines) {
        result.responses++
        result.leaks.push(...responseLeaks(JSON.parse(line) as RecordedResponse))
      }
    } else if (file.endsWith('.log')) {
      for (const [i, line] of lines.entries()) {
        result.logLines++
        result.leaks.push(...logLeaks(line, `${file}:${i + 1}: ${line.slice(0, 160)}`))
      }
    }
  }
  return result
}

export function figure(result: ScanResult): string {
  return `PII responses_scanned=${result.responses} log_lines_scanned=${result.logLines} leaks=${result.leaks.length}`
}
