import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/**
 * Raw SQL keeps to the domain boundaries (docs/adr/0002-data-access-and-boundaries.md). The lint rule sees
 * entity imports; this scan sees SQL text. A folder under src/ owns the tables of its *.entity.ts files.
 * Only the owner writes a table (one declared exception). Reading another domain's table in SQL is allowed
 * only where declared below, with the reason.
 */
const SRC = join(__dirname, '..')

/** SQL that reads another domain's tables, declared by file (or folder, ending in /). */
const CROSS_DOMAIN_READS: Record<string, { tables: string[]; why: string }> = {
  // Read models: they present rows of several domains and filter, sort and page them in one query.
  'board/board.service.ts': {
    tables: ['compound_tally', 'place', 'resident', 'ticket'],
    why: "read model: the public board (its counts from the compound's counters, tallies/)",
  },
  'metrics/metrics.service.ts': {
    tables: ['compound_tally', 'place', 'staff', 'ticket', 'ticket_tally'],
    why: 'read model: the metrics (whole months from the counters of tallies/, the rest from the requests)',
  },
  // Its ticket reads are metrics.service.ts's TICKETS and rateColumns(), declared above.
  'metrics/ranking.service.ts': { tables: ['place', 'staff'], why: 'read model: the ranking, with place and handler names' },
  'recurring/recurring.service.ts': {
    tables: ['place', 'resident', 'ticket'],
    why: "read model: a compound's recent requests grouped into recurring problems, by their public text",
  },
  'meetings/agenda-requests.ts': {
    tables: ['resident', 'ticket', 'ticket_co_handler'],
    why: "read model: a compound's open complex, escalated and co-handled requests for a meeting's agenda, by their public text",
  },
  'meetings/meetings.service.ts': {
    tables: ['ticket'],
    why: "read model: the public board's meeting decisions, with the number of the request each is about",
  },
  'ledger/ledger.service.ts': {
    tables: ['photo', 'ticket', 'ticket_event'],
    why: 'read model: the work ledger, with each request’s thread and before/after photo counts',
  },
  'access-log/access-log.service.ts': {
    tables: ['place', 'resource', 'staff', 'ticket', 'visit_household'],
    why: 'read model: the access log with who, what was read (a request, a resource, a household’s building and unit) and which compound',
  },
  'notifications/notifications.service.ts': {
    tables: ['place', 'ticket'],
    why: "read model: the admins' list of messages of requests in their places (scope by the unit's path)",
  },
  'retention/retention.service.ts': {
    tables: [
      'auth_session',
      'notification_outbox',
      'photo',
      'refresh_token',
      'resident',
      'subscription_consent',
      'ticket',
      'ticket_event',
      'ticket_follower',
      'ticket_rating',
      'voice_note',
    ],
    why: 'retention sweeps the personal-data inventory (retention/personal-data.ts) across domains',
  },
  // Scope joins: staff filtered or described by the place tree in SQL (place.path && scope). Asking
  // PlacesService instead would pass every place id under an admin's scope, units included, to the query.
  'staff/staff.service.ts': {
    tables: ['auth_session', 'place'],
    why: "scope join: the caller's session, their memberships' place path, kind and name, in the one query behind every staff request",
  },
  'staff/staff-admin.service.ts': {
    tables: ['place'],
    why: "scope join: staff with a membership anywhere under the admin's places",
  },
  // To move: reads that belong behind the owner's service. Until then they stay visible here.
  'places/places.service.ts': {
    tables: ['ticket'],
    why: "to move: the scan view's count of open requests in the building (a tickets/ method)",
  },
  'routing/routing.service.ts': {
    tables: ['membership', 'place', 'staff', 'ticket'],
    why: "to move: routing's pick of the least-loaded member (StaffService, with open counts from tickets/)",
  },
  // The read side's one projection of a request (its unit, building, compound, handler, reporter) in one
  // query: the inbox and my requests depend on it being one statement (docs/performance.md).
  'tickets/read/ticket-loader.ts': {
    tables: ['place', 'resident', 'staff'],
    why: "read model: the view loader's projection of a request with its places and people",
  },
}

/**
 * The cross-domain writers: retention scrubs and deletes personal data wherever it is stored; filing
 * writes a request's outbox messages in the one statement of its rows (ADR 0008), as outbox.ts enqueue does.
 */
const CROSS_DOMAIN_WRITES: Record<string, string[]> = {
  'tickets/filing/ticket-insert.ts': ['notification_outbox'],
  'retention/retention.service.ts': [
    'auth_session',
    'notification_outbox',
    'open311_request',
    'photo',
    'refresh_token',
    'resident',
    'subscription_consent',
    'ticket',
    'ticket_event',
    'ticket_follower',
    'ticket_rating',
    'voice_note',
  ],
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? files(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

const sources = files(SRC).map((path) => ({
  path: relative(SRC, path).split(sep).join('/'),
  text: readFileSync(path, 'utf8'),
}))
const domainOf = (path: string) => path.split('/')[0]

/** Table name → owning folder, from every entity's @Entity('name'). */
const OWNERS = new Map<string, string>()
for (const { path, text } of sources.filter((s) => s.path.endsWith('.entity.ts'))) {
  for (const m of text.matchAll(/@Entity\(\s*'([a-z0-9_]+)'/g)) OWNERS.set(m[1], domainOf(path))
}

const READ = /\b(?:FROM|JOIN)\s+"?([a-z][a-z0-9_]*)"?/g
const WRITE = /\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([a-z][a-z0-9_]*)"?/g

/** Other domains' tables a file's SQL names, by the regex's first group. */
function foreignTables(path: string, text: string, pattern: RegExp): string[] {
  const tables = new Set<string>()
  for (const m of text.matchAll(pattern)) {
    const owner = OWNERS.get(m[1])
    if (owner && owner !== domainOf(path)) tables.add(m[1])
  }
  return [...tables].sort()
}

/** The declaration covering a file: its own entry, else its folder's. */
function declared<T>(list: Record<string, T>, path: string): T | undefined {
  return list[path] ?? list[`${domainOf(path)}/`]
}

// Production code only: specs and their helpers (*.testing.ts) arrange data directly; migrations and the
// entity list define the schema.
const scanned = sources.filter(
  (s) => !/\.(spec|testing)\.ts$/.test(s.path) && !s.path.startsWith('database/') && s.path.includes('/'),
)

describe('raw SQL and table ownership', () => {
  it('finds the owner of every table', () => {
    expect(OWNERS.size).toBeGreaterThan(20)
    expect(OWNERS.get('ticket')).toBe('tickets')
    expect(OWNERS.get('place')).toBe('places')
  })

  it("reads another domain's table only where declared", () => {
    const undeclared = scanned.flatMap(({ path, text }) => {
      const allowed = declared(CROSS_DOMAIN_READS, path)?.tables ?? []
      return foreignTables(path, text, READ)
        .filter((t) => !allowed.includes(t))
        .map((t) => `${path} reads ${t}`)
    })
    expect(undeclared).toEqual([])
  })

  it("writes another domain's table only where declared", () => {
    const undeclared = scanned.flatMap(({ path, text }) => {
      const allowed = declared(CROSS_DOMAIN_WRITES, path) ?? []
      return foreignTables(path, text, WRITE)
        .filter((t) => !allowed.includes(t))
        .map((t) => `${path} writes ${t}`)
    })
    expect(undeclared).toEqual([])
  })

  it('declares only files that still read what they declare', () => {
    const stale = Object.entries(CROSS_DOMAIN_READS).flatMap(([key, { tables }]) => {
      const covered = scanned.filter((s) => (key.endsWith('/') ? s.path.startsWith(key) : s.path === key))
      if (key.endsWith('/')) return [] // a folder under rewrite may shed its reads file by file
      const reads = new Set(covered.flatMap(({ path, text }) => foreignTables(path, text, READ)))
      return tables.filter((t) => !reads.has(t)).map((t) => `${key} no longer reads ${t}`)
    })
    expect(stale).toEqual([])
  })

  it('catches a join on another domain’s table and an update of it', () => {
    const probe =
      "SELECT t.id FROM notification_outbox o JOIN ticket t ON t.id = o.ticket_id; UPDATE place SET name = ''"
    expect(foreignTables('notifications/probe.ts', probe, READ)).toEqual(['ticket'])
    expect(foreignTables('notifications/probe.ts', probe, WRITE)).toEqual(['place'])
  })
})
