/**
 * Migrations run when a new release starts, while instances of the previous release still serve
 * (docs/deployment.md, Upgrades). So a migration may only expand the schema: new tables, new nullable
 * or defaulted columns, new indexes. What old code still reads or writes (a column to drop or rename, a
 * type to change, a NOT NULL to add) goes in a later release, as a contract step whose file says why it is
 * safe with a `// contract:` comment. This test reads every migration's up() and holds it to that.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const MIGRATIONS = resolve(__dirname, '..', '..', 'src', 'database', 'migrations')

/** Written before the first production release, when no old instance could be serving. */
const BEFORE_FIRST_RELEASE = new Set(['1795229266446-Init.ts', '1795229823618-AddIdentity.ts'])

const BREAKING: [RegExp, string][] = [
  [/\bDROP TABLE\b/i, 'drops a table'],
  [/\bDROP COLUMN\b/i, 'drops a column'],
  [/\bRENAME COLUMN\b/i, 'renames a column'],
  [/ALTER TABLE\s+"?[\w.]+"?\s+RENAME TO\b/i, 'renames a table'],
  [/\bALTER COLUMN\s+"?\w+"?\s+(SET DATA\s+)?TYPE\b/i, 'changes a column type'],
  [/\bSET NOT NULL\b/i, 'makes a column NOT NULL'],
  [/\bADD (COLUMN )?"?\w+"? [^,`]*\bNOT NULL\b(?![^,`]*\bDEFAULT\b)/i, 'adds a NOT NULL column without a default'],
]

function breakingChanges(source: string): string[] {
  const up = source.slice(source.indexOf('async up('), source.indexOf('async down(') > 0 ? source.indexOf('async down(') : undefined)
  return BREAKING.filter(([pattern]) => pattern.test(up)).map(([, what]) => what)
}

describe('migrations are expand-only while old instances serve', () => {
  it('recognises what would break the release still running', () => {
    expect(breakingChanges('async up() { q(`ALTER TABLE "t" DROP COLUMN "x"`) } async down() {}')).toEqual(['drops a column'])
    expect(breakingChanges('async up() { q(`ALTER TABLE "t" ADD "x" text NOT NULL`) }')).toEqual(['adds a NOT NULL column without a default'])
    expect(breakingChanges(`async up() { q(\`ALTER TABLE "t" ADD "x" boolean NOT NULL DEFAULT false\`) }`)).toEqual([])
    expect(breakingChanges('async up() { q(`CREATE TABLE "t" ("id" uuid NOT NULL)`) } async down() { q(`DROP TABLE "t"`) }')).toEqual([])
  })

  it('every migration since the first release expands, or says why its contract step is safe', () => {
    const files = readdirSync(MIGRATIONS).filter((f) => /^\d+-\w+\.ts$/.test(f) && !BEFORE_FIRST_RELEASE.has(f))
    const offenders = files.flatMap((file) => {
      const source = readFileSync(join(MIGRATIONS, file), 'utf8')
      const found = breakingChanges(source)
      return found.length > 0 && !/\/\/ contract: \S/.test(source) ? [`${file}: ${found.join(', ')}`] : []
    })
    expect(offenders).toEqual([])
  })
})
