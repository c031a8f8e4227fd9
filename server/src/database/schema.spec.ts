import { DataSource } from 'typeorm'
import { dataSourceOptions } from './data-source'
import { MIGRATIONS } from './migrations'
import { testDatabaseUrl } from '../../test/app'

describe('migrations', () => {
  let dataSource: DataSource
  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(testDatabaseUrl())).initialize()
  })
  afterAll(() => dataSource.destroy())

  it('are all applied by the run’s setup', async () => {
    const applied = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id')
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name ?? m.name))
  })

  it('build exactly the schema the entities describe (no drift, nothing left to generate)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log()
    expect(pending.upQueries.map((q) => q.query)).toEqual([])
  })
})
