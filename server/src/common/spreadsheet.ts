import { parse } from 'csv-parse/sync'
import type ExcelJSModule from 'exceljs'
import type { Buffer as XlsxBuffer, CellValue } from 'exceljs'
import { loadOnUse } from './load-on-use'
import { DomainError } from './domain-error'
import { isStorableText, UNSTORABLE_MESSAGE } from './storable-text'

/** One data row of an uploaded sheet: its 1-based row number in the file (header = row 1) and its cells by header. */
export interface SheetRow {
  row: number
  cells: Record<string, string>
}

export type SheetFormat = 'csv' | 'xlsx'

/** XLSX files are ZIP archives: they start with "PK\x03\x04". */
function isZip(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04
}

/** Decides by content, not by file name: admins rename files. */
export function sniffSheetFormat(data: Buffer): SheetFormat {
  return isZip(data) ? 'xlsx' : 'csv'
}

/** ExcelJS, loaded the first time a sheet is an XLSX file. */
export const exceljs = loadOnUse<typeof ExcelJSModule>('exceljs')

function normaliseHeader(value: string): string {
  return value.replace(/^\uFEFF/, '').trim().toLowerCase()
}

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('')
    if ('text' in value) return String(value.text)
    if ('result' in value) return value.result === undefined ? '' : String(value.result)
  }
  return String(value)
}

/** Excel's name of a 0-based column: A … Z, AA … */
function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

/** At most this many cells are listed: a file full of NULs needs no thousand-line answer. */
const MAX_CELL_ERRORS = 20

/**
 * Text the database cannot store (NUL, lone surrogates: a CSV may hold NUL bytes, an XLSX escapes like
 * `_x0000_`) is a 400 naming each cell by row and column, as Excel shows them, before any row is read.
 */
function refuseUnstorableCells(rows: string[][]): void {
  const header = rows[0] ?? []
  const errors: { path: string; message: string }[] = []
  rows.forEach((values, r) => {
    values?.forEach((value, c) => {
      if (isStorableText(value) || errors.length >= MAX_CELL_ERRORS) return
      const title = r > 0 && header[c] && isStorableText(header[c]) ? `「${header[c]}」` : ''
      errors.push({ path: `row ${r + 1}`, message: `${columnName(c)} 列${title}${UNSTORABLE_MESSAGE}` })
    })
  })
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', `导入文件有无法保存的字符，未导入任何数据`, errors)
  }
}

/**
 * Reads the first sheet of an XLSX file, or a CSV file (UTF-8, with or without BOM), into rows keyed by
 * the lower-cased header. Blank lines are skipped but keep their row numbers, so errors point at the
 * line the admin sees in Excel.
 */
export async function readSheet(data: Buffer): Promise<SheetRow[]> {
  const rows: string[][] = []
  if (sniffSheetFormat(data) === 'xlsx') {
    const workbook = new (exceljs().Workbook)()
    try {
      await workbook.xlsx.load(data as unknown as XlsxBuffer)
    } catch (error) {
      throw new DomainError('VALIDATION_FAILED', `无法读取 Excel 文件：${(error as Error).message}`)
    }
    const sheet = workbook.worksheets[0]
    if (!sheet) throw new DomainError('VALIDATION_FAILED', 'Excel 文件中没有工作表')
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values = Array.isArray(row.values) ? row.values.slice(1) : []
      rows[rowNumber - 1] = values.map((v) => cellText(v as CellValue).trim())
    })
  } else {
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data)
    } catch {
      throw new DomainError('VALIDATION_FAILED', 'CSV 文件不是 UTF-8 编码，请在 Excel 中另存为「CSV UTF-8」')
    }
    try {
      rows.push(...(parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][]))
    } catch (error) {
      throw new DomainError('VALIDATION_FAILED', `无法读取 CSV 文件：${(error as Error).message}`)
    }
  }
  refuseUnstorableCells(rows)
  const [header, ...body] = rows
  if (!header || header.every((h) => !h)) throw new DomainError('VALIDATION_FAILED', '文件为空或缺少表头')
  const keys = header.map((h) => normaliseHeader(h ?? ''))
  const result: SheetRow[] = []
  body.forEach((values, index) => {
    if (!values || values.every((v) => !v)) return
    const cells: Record<string, string> = {}
    keys.forEach((key, i) => {
      if (key) cells[key] = values[i] ?? ''
    })
    result.push({ row: index + 2, cells })
  })
  return result
}

/** The first of `names` present in the row (headers may be Chinese or English). */
export function cell(row: SheetRow, ...names: string[]): string {
  for (const name of names) {
    const value = row.cells[name.toLowerCase()]
    if (value !== undefined) return value
  }
  return ''
}
