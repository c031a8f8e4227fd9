import { dataSourceOptions, migrationOptions } from './data-source'

describe('data source options', () => {
  const url = 'postgres://u:p@127.0.0.1:5432/db'
  const extra = (options: object) => (options as { extra: Record<string, unknown> }).extra

  it('bounds every query of the running server, but not a migration (a backfill at ten million requests takes minutes)', () => {
    expect(extra(dataSourceOptions(url)).query_timeout).toBe(15000)
    expect(extra(migrationOptions(url)).query_timeout).toBe(0)
  })

  it('changes nothing else for migrations', () => {
    const { extra: a, ...serving } = dataSourceOptions(url) as unknown as { extra: Record<string, unknown> }
    const { extra: b, ...migrating } = migrationOptions(url) as unknown as { extra: Record<string, unknown> }
    expect(migrating).toEqual(serving)
    expect({ ...b, query_timeout: a.query_timeout }).toEqual(a)
  })
})
