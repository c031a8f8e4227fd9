import type { SheetRow } from '../common/spreadsheet'
import { cell } from '../common/spreadsheet'

/** One unit to exist after an import: building and unit names, with optional display order. */
export interface UnitRow {
  row: number
  building: string
  unit: string
  buildingOrder: number | null
  unitOrder: number | null
}

export interface RowError {
  path: string
  message: string
}

const NAME_MAX = 40
const ORDER = /^\d{1,4}$/

function order(value: string): number | null | 'bad' {
  if (!value) return null
  return ORDER.test(value) ? Number(value) : 'bad'
}

/**
 * Validates every row before anything is written: the admin gets all errors at once, each with the row
 * number Excel shows. Columns: 楼栋/building, 单元/unit, optional 楼栋排序/building_order and
 * 单元排序/unit_order.
 */
export function validateUnitRows(rows: SheetRow[]): { units: UnitRow[]; errors: RowError[] } {
  const errors: RowError[] = []
  const units: UnitRow[] = []
  const seen = new Map<string, number>()
  if (rows.length === 0) errors.push({ path: 'file', message: '文件中没有数据行' })
  for (const row of rows) {
    const building = cell(row, '楼栋', 'building')
    const unit = cell(row, '单元', 'unit')
    const buildingOrder = order(cell(row, '楼栋排序', 'building_order'))
    const unitOrder = order(cell(row, '单元排序', 'unit_order'))
    const at = `row ${row.row}`
    const rowErrors: string[] = []
    if (!building) rowErrors.push('楼栋不能为空')
    else if (building.length > NAME_MAX) rowErrors.push(`楼栋名称不能超过${NAME_MAX}字`)
    if (!unit) rowErrors.push('单元不能为空')
    else if (unit.length > NAME_MAX) rowErrors.push(`单元名称不能超过${NAME_MAX}字`)
    if (buildingOrder === 'bad') rowErrors.push('楼栋排序必须是整数')
    if (unitOrder === 'bad') rowErrors.push('单元排序必须是整数')
    const key = `${building}\u0000${unit}`
    if (building && unit && seen.has(key)) rowErrors.push(`与第${seen.get(key)}行重复`)
    seen.set(key, row.row)
    if (rowErrors.length > 0) {
      for (const message of rowErrors) errors.push({ path: at, message })
      continue
    }
    units.push({
      row: row.row,
      building,
      unit,
      buildingOrder: buildingOrder as number | null,
      unitOrder: unitOrder as number | null,
    })
  }
  return { units, errors }
}
