import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/**
 * The domain-boundary lint rule (eslint.config.mjs at the workspace root): outside its own folder, another
 * domain's entity may be imported as a type but not as a value. ESLint loads its flat config with a
 * native import(), which jest's module system does not offer, so the cases are linted in a child Node.
 */
const ROOT = join(__dirname, '..', '..')
const RULE = '@typescript-eslint/no-restricted-imports'

interface Case {
  filePath: string
  code: string
}

const LINT = `
const { ESLint } = require('eslint')
;(async () => {
  const eslint = new ESLint({ cwd: process.cwd() })
  const out = []
  for (const c of JSON.parse(process.argv[1])) {
    const [result] = await eslint.lintText(c.code, { filePath: c.filePath })
    out.push(result.messages.map((m) => ({ ruleId: m.ruleId, line: m.line, message: m.message })))
  }
  process.stdout.write(JSON.stringify(out))
})().catch((error) => { console.error(error); process.exit(1) })
`

const CASES = {
  valueImportFromAnotherDomain: {
    filePath: 'server/src/ledger/ledger-probe.ts',
    code: "import { Place } from '../places/place.entity'\n\nexport const placeEntity = Place\n",
  },
  nestedEntityOfAnotherDomain: {
    filePath: 'server/src/notifications/probe/notifications-probe.ts',
    code: "import { DeadlineTimer } from '../../tickets/lifecycle/deadline-timer.entity'\n\nexport const timer = DeadlineTimer\n",
  },
  outsideEveryDomain: {
    filePath: 'server/src/boundary-probe.ts',
    code: "import { Ticket } from './tickets/ticket.entity'\n\nexport const ticketEntity = Ticket\n",
  },
  // Uses the ledger's declared exception (ticket entities); when that entry goes, point this at another.
  declaredExceptionStaysNarrow: {
    filePath: 'server/src/ledger/ledger.service.ts',
    code:
      "import { Ticket } from '../tickets/ticket.entity'\nimport { Staff } from '../staff/staff.entity'\n\n" +
      'export const both = [Ticket, Staff]\n',
  },
  typeImport: {
    filePath: 'server/src/ledger/ledger-probe.ts',
    code: "import type { Place } from '../places/place.entity'\n\nexport type LedgerPlace = Place\n",
  },
  ownDomain: {
    filePath: 'server/src/places/places-probe.ts',
    code: "import { Place } from './place.entity'\n\nexport const placeEntity = Place\n",
  },
  entityRelation: {
    filePath: 'server/src/photos/probe.entity.ts',
    code: "import { Ticket } from '../tickets/ticket.entity'\n\nexport const relation = Ticket\n",
  },
  centralEntityList: {
    filePath: 'server/src/database/entities.ts',
    code: "import { Place } from '../places/place.entity'\n\nexport const ENTITIES = [Place]\n",
  },
} satisfies Record<string, Case>

type Findings = Record<keyof typeof CASES, { ruleId: string | null; line: number; message: string }[]>

let findings: Findings

beforeAll(() => {
  const names = Object.keys(CASES) as (keyof typeof CASES)[]
  const out = execFileSync(process.execPath, ['-e', LINT, JSON.stringify(names.map((n) => CASES[n]))], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  const results = JSON.parse(out) as Findings[keyof Findings][]
  findings = Object.fromEntries(names.map((n, i) => [n, results[i]])) as Findings
}, 60_000)

const boundaryErrors = (name: keyof typeof CASES) => findings[name].filter((m) => m.ruleId === RULE)

describe('domain-boundary lint rule', () => {
  it("fails a value import of another domain's entity", () => {
    expect(boundaryErrors('valueImportFromAnotherDomain')).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining("Another domain's entity") }),
    ])
  })

  it('fails an entity in a nested folder of another domain', () => {
    expect(boundaryErrors('nestedEntityOfAnotherDomain')).toHaveLength(1)
  })

  it('fails an entity import from a file outside every domain', () => {
    expect(boundaryErrors('outsideEveryDomain')).toHaveLength(1)
  })

  it('lets a declared exception import only the entities it names', () => {
    expect(boundaryErrors('declaredExceptionStaysNarrow')).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('../staff/staff.entity') }),
    ])
  })

  it('allows a type import, the own domain, entity relations and the central entity list', () => {
    expect(boundaryErrors('typeImport')).toEqual([])
    expect(boundaryErrors('ownDomain')).toEqual([])
    expect(boundaryErrors('entityRelation')).toEqual([])
    expect(boundaryErrors('centralEntityList')).toEqual([])
  })
})
