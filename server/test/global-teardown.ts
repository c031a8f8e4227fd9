import { rmSync } from 'node:fs'
import { figure, scanRecordings } from './security/pii-scan'

export default async function globalTeardown(): Promise<void> {
  await globalThis.__MQ_TEST_DB__?.dispose()
  const dir = process.env.MQ_SECURITY_RECORD_DIR
  if (!dir) return
  // The personal-data scan of every response and log line of the run.
  const result = scanRecordings(dir)
  console.log(`\n${figure(result)}`)
  if (result.leaks.length > 0) {
    const listed = result.leaks.slice(0, 30).map((l) => `  ${l.kind} ${l.value} in ${l.where}`)
    throw new Error(
      `personal data where the caller may not see it (recordings kept in ${dir}):\n${listed.join('\n')}` +
        (result.leaks.length > 30 ? `\n  … and ${result.leaks.length - 30} more` : ''),
    )
  }
  rmSync(dir, { recursive: true, force: true })
}
