/** Names and URLs of the test run's databases (no driver: the worker setup file loads this cheaply). */

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

/** The database of jest worker `n` (1-based, JEST_WORKER_ID): a clone of the run's template. */
export function workerDatabaseName(templateUrl: string, worker: number): string {
  return `${databaseName(templateUrl)}_w${worker}`
}
