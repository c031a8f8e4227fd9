import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { DomainError } from './domain-error'

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

function normaliseHeader(value: string): string {
  return value.replace(/^\uFEFF/, '').trim().toLowerCase()
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('')
    if ('text' in value) return String(value.text)
    if ('result' in value) return value.result === undefined ? '' : String(value.result)
  }
  return String(value)
}

/**
 * Reads the first sheet of an XLSX file, or a CSV file (UTF-8, with or without BOM), into rows keyed by
 * the lower-cased header. Blank lines are skipped but keep their row numbers, so errors point at the
 * line the admin sees in Excel.
 */
export async function readSheet(data: Buffer): Promise<SheetRow[]> {
  const rows: string[][] = []
  if (sniffSheetFormat(data) === 'xlsx') {
    const workbook = new ExcelJS.Workbook()
    try {
      await workbook.xlsx.load(data as unknown as ExcelJS.Buffer)
    } catch (error) {
      throw new DomainError('VALIDATION_FAILED', `无法读取 Excel 文件：${(error as Error).message}`)
    }
    const sheet = workbook.worksheets[0]
    if (!sheet) throw new DomainError('VALIDATION_FAILED', 'Excel 文件中没有工作表')
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values = Array.isArray(row.values) ? row.values.slice(1) : []
      rows[rowNumber - 1] = values.map((v) => cellText(v as ExcelJS.CellValue).trim())
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
