/**
 * Generates a timestamped migration from the difference between the entities and the schema the
 * committed migrations build, on a throwaway embedded PostgreSQL:
 *   pnpm --filter @mq/server migration:generate AddSomething
 */
import 'reflect-metadata'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DataSource } from 'typeorm'
import { dataSourceOptions, migrate } from './data-source'
import { startEmbeddedPostgres } from './embedded-postgres'

const MIGRATIONS_DIR = resolve(__dirname, '..', '..', 'src', 'database', 'migrations')

function quote(sql: string): string {
  return '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`'
}

async function main(): Promise<void> {
  const name = process.argv[2]
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: migration:generate PascalCaseName')
  const dir = await mkdtemp(join(tmpdir(), 'mq-gen-'))
  await chmod(dir, 0o755) // the postgres OS user must reach the data dir inside
  const db = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: 54000 + Math.floor(Math.random() * 900), database: 'gen' })
  try {
    await migrate(db.url)
    const dataSource = await new DataSource(dataSourceOptions(db.url)).initialize()
    const sql = await dataSource.driver.createSchemaBuilder().log()
    await dataSource.destroy()
    if (sql.upQueries.length === 0) {
      console.log('No changes: the migrations already match the entities.')
      return
    }
    const timestamp = Date.now()
    const className = `${name}${timestamp}`
    const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)})`).join('\n')
    const down = sql.downQueries
      .reverse()
      .map((q) => `    await queryRunner.query(${quote(q.query)})`)
      .join('\n')
    const file = `${timestamp}-${name}`
    await writeFile(
      join(MIGRATIONS_DIR, `${file}.ts`),
      `import type { MigrationInterface, QueryRunner } from 'typeorm'\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}'\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    )
    const indexPath = join(MIGRATIONS_DIR, 'index.ts')
    const index = await readFile(indexPath, 'utf8')
    const updated = index
      .replace(/(export const MIGRATIONS[^=]*= \[)/, `import { ${className} } from './${file}'\n$1`)
      .replace(/\]\s*$/, (end) => `${index.includes('= []') ? '' : ', '}${className}${end}`)
    await writeFile(indexPath, updated)
    console.log(`wrote src/database/migrations/${file}.ts`)
  } finally {
    await db.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
