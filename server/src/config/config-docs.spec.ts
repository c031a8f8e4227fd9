import { readFileSync } from 'node:fs'
import { EnvShape } from './config'
import { configTable, DOCS_WITH_TABLE, withTable } from './config-docs'

describe('configuration reference', () => {
  it('documents every variable the server reads', () => {
    const table = configTable()
    for (const name of Object.keys(EnvShape.shape)) expect(table).toContain(`| \`${name}\` |`)
  })

  it.each(DOCS_WITH_TABLE)('is current in %s (else: pnpm --filter @mq/server docs:config)', (file) => {
    const text = readFileSync(file, 'utf8')
    expect(withTable(text, file)).toBe(text)
  })
})
