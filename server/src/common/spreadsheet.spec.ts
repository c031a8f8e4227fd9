import ExcelJS from 'exceljs'
import { DomainError } from './domain-error'
import { readSheet } from './spreadsheet'

async function refusal(data: Buffer): Promise<DomainError> {
  try {
    await readSheet(data)
  } catch (error) {
    if (error instanceof DomainError) return error
    throw error
  }
  throw new Error('readSheet accepted the file')
}

describe('reading a sheet: text the database cannot store', () => {
  it('names each CSV cell holding NUL by row and column, as Excel shows them', async () => {
    const header = Array.from({ length: 28 }, (_, i) => `c${i + 1}`)
    const row = header.map(() => 'ok')
    row[27] = 'a\u0000b'
    const error = await refusal(Buffer.from([header, ['x', 'y'], row].map((r) => r.join(',')).join('\n')))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.details).toEqual([{ path: 'row 3', message: 'AB 列「c28」内容含有无法保存的字符（如空字符）' }])
  })

  it('finds NUL and lone surrogates behind the escapes of an XLSX file, the header included', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('s')
    // OOXML's escape for a character XML cannot hold; ExcelJS reads it back as that character.
    sheet.addRow(['姓名', '手机_x0000_号'])
    sheet.addRow(['王_xD800_', '13800000000'])
    const error = await refusal(Buffer.from(await workbook.xlsx.writeBuffer()))
    expect(error.details).toEqual([
      { path: 'row 1', message: 'B 列内容含有无法保存的字符（如空字符）' },
      { path: 'row 2', message: 'A 列「姓名」内容含有无法保存的字符（如空字符）' },
    ])
  })

  it('lists at most 20 cells, and reads a clean file as before', async () => {
    const lines = ['a,b', ...Array.from({ length: 30 }, () => '\u0000,\u0000')]
    expect((await refusal(Buffer.from(lines.join('\n')))).details).toHaveLength(20)
    expect(await readSheet(Buffer.from('楼栋,单元\n九号楼,一单元\n'))).toEqual([
      { row: 2, cells: { 楼栋: '九号楼', 单元: '一单元' } },
    ])
  })
})
