import { DataSource } from 'typeorm'
import { testDatabaseUrl } from '../../test/app'
import { dataSourceOptions } from '../database/data-source'
import { LOOKS_PERSONAL, NOT_DATA, PERSONAL_DATA } from './personal-data'

/**
 * The personal-data inventory covers the migrated schema: a new table, or a new column whose name looks
 * personal, fails here until personal-data.ts says what retention does with it.
 */
describe('personal-data inventory', () => {
  let dataSource: DataSource
  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(testDatabaseUrl())).initialize()
  })
  afterAll(() => dataSource.destroy())

  it('lists every table, and every column whose name suggests personal data', async () => {
    const columns = await dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
    )
    const tables = [...new Set(columns.map((c) => c.table_name))].filter((t) => !NOT_DATA.has(t))
    expect(tables.length).toBeGreaterThan(5)
    const undecided = [
      ...tables.filter((t) => !PERSONAL_DATA[t]).map((t) => `table ${t}`),
      ...columns
        .filter((c) => PERSONAL_DATA[c.table_name] && LOOKS_PERSONAL.test(c.column_name))
        .filter((c) => !(c.column_name in PERSONAL_DATA[c.table_name].columns))
        .map((c) => `column ${c.table_name}.${c.column_name}`),
    ]
    // Each one: add it to server/src/retention/personal-data.ts, and to RetentionService if it must change.
    expect(undecided).toEqual([])
  })
})
