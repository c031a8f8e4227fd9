import { AsyncLocalStorage } from 'node:async_hooks'
import type { Client } from 'pg'
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver'
import type { TestApp } from './app'

/**
 * Counts the SQL statements one HTTP request sends, at `pg`'s client (every statement, BEGIN and COMMIT
 * included), and only those issued on behalf of the counted request (an AsyncLocalStorage scope entered
 * once Fastify has read the body: the server's background workers do not count). Specs hold ceilings on
 * the counts measured: a change that adds round trips fails; one that removes some lowers them.
 */
export interface StatementCounter {
  /** Sends the request with the counting header; answers the response and the statements it sent. */
  inject(options: {
    method: 'GET' | 'POST'
    url: string
    headers: Record<string, string>
    payload?: object
  }): Promise<{ response: Awaited<ReturnType<TestApp['app']['inject']>>; statements: string[] }>
  report(what: string, statements: string[]): void
  /** Puts `pg`'s query method back. */
  restore(): void
}

const HEADER = 'x-count-statements'

function statementText(args: unknown[]): string {
  const [first] = args
  const text =
    typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? String(first))
  return text.replace(/\s+/g, ' ').trim().slice(0, 140)
}

/** Call in beforeAll, after startTestModule({ http: true }) and before the app takes requests. */
export function countStatements(t: TestApp): StatementCounter {
  const scope = new AsyncLocalStorage<string[]>()
  const counting = new Map<string, string[]>()
  t.app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', (request, _reply, done) => {
      const store = counting.get(String(request.headers[HEADER]))
      if (store) scope.enterWith(store)
      done()
    })
  // The `pg` module TypeORM loaded (its pool makes clients of this class).
  const clientClass = ((t.dataSource.driver as PostgresDriver).postgres as { Client: typeof Client }).Client
  const originalQuery = clientClass.prototype.query
  clientClass.prototype.query = function (this: Client, ...args: unknown[]) {
    scope.getStore()?.push(statementText(args))
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args)
  } as Client['query']
  let seq = 0
  return {
    async inject({ headers, ...options }) {
      const key = `statements-${process.pid}-${seq++}`
      const statements: string[] = []
      counting.set(key, statements)
      try {
        const response = await t.app.inject({ ...options, headers: { ...headers, [HEADER]: key } })
        return { response, statements }
      } finally {
        counting.delete(key)
      }
    },
    report(what, statements) {
      console.log(
        `${what}: ${statements.length} statements\n${statements.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
      )
    },
    restore() {
      clientClass.prototype.query = originalQuery
    },
  }
}
