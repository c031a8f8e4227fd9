import type { DataSource } from 'typeorm'

/**
 * Runs `run`, records every query it sends through `dataSource.query`, and returns the EXPLAIN plan of
 * each one `keep` accepts (with the parameters it was sent with), for tests that a query uses its index.
 */
export async function queryPlans(
  dataSource: DataSource,
  run: () => Promise<unknown>,
  keep: (sql: string) => boolean,
): Promise<string[]> {
  const spy = jest.spyOn(dataSource, 'query')
  let calls: unknown[][]
  try {
    await run()
  } finally {
    calls = [...spy.mock.calls]
    spy.mockRestore()
  }
  const out: string[] = []
  for (const [sql, params] of calls) {
    if (!keep(String(sql))) continue
    const rows = await dataSource.query<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN ${String(sql)}`,
      params as unknown[],
    )
    out.push(rows.map((r) => r['QUERY PLAN']).join('\n'))
  }
  return out
}
