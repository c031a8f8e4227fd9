export default async function globalTeardown(): Promise<void> {
  await globalThis.__MQ_TEST_DB__?.dispose()
}
