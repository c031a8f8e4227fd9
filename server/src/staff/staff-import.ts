import {
  isRole,
  MOBILE_PATTERN,
  passwordProblem,
  PLACE_KIND_LABELS,
  ROLE_LABELS,
  ROLE_PLACE_KINDS,
  rolePlaceAllowed,
  STAFF_IMPORT_COLUMNS,
  STAFF_IMPORT_MAX_ROWS,
  type Role,
  type StaffImportColumn,
} from '@mq/shared'
import { cell, type SheetRow } from '../common/spreadsheet'
import type { Place } from '../places/place.entity'

/** The place an import is under and what is below it, found by name. */
export interface ImportPlaces {
  root: Place
  /** Buildings of the root (a compound), by name. */
  buildings: Map<string, Place>
  /** Units by building id, then by name. */
  units: Map<string, Map<string, Place>>
}

/** One membership to create: a sheet row that passed every check. */
export interface StaffImportRow {
  row: number
  name: string
  phone: string
  role: Role
  place: Place
  password: string | null
}

export interface RowError {
  path: string
  message: string
}

const ROLE_BY_LABEL = new Map<string, Role>(
  Object.entries(ROLE_LABELS).map(([role, label]) => [label, role as Role]),
)
const NAME_MAX = 20

function value(row: SheetRow, column: StaffImportColumn): string {
  return cell(row, ...STAFF_IMPORT_COLUMNS[column])
}

/** Excel users write 138-0000-0001 or 138 0000 0001. */
function phoneOf(row: SheetRow): string {
  return value(row, 'phone').replace(/[\s-]/g, '')
}

/** Every phone number in the sheet, as validateStaffRows() reads them (to look up existing accounts). */
export function sheetPhones(rows: SheetRow[]): string[] {
  return [...new Set(rows.map(phoneOf).filter((phone) => MOBILE_PATTERN.test(phone)))]
}

function roleOf(text: string): Role | null {
  if (isRole(text)) return text
  return ROLE_BY_LABEL.get(text) ?? null
}

/**
 * Checks every row before anything is written, so the admin gets all errors at once, each with the row
 * number Excel shows. `registered`: phones that already have an account.
 */
export function validateStaffRows(
  rows: SheetRow[],
  places: ImportPlaces,
  registered: ReadonlySet<string>,
): { rows: StaffImportRow[]; errors: RowError[] } {
  const errors: RowError[] = []
  const valid: StaffImportRow[] = []
  if (rows.length === 0) errors.push({ path: 'file', message: '文件中没有数据行' })
  if (rows.length > STAFF_IMPORT_MAX_ROWS) {
    errors.push({ path: 'file', message: `一次最多导入${STAFF_IMPORT_MAX_ROWS}行，请分批导入` })
    return { rows: [], errors }
  }
  const people = new Map<string, { row: number; name: string; password: string | null }>()
  const seen = new Map<string, number>()
  for (const row of rows) {
    const problems: string[] = []
    const name = value(row, 'name')
    const phone = phoneOf(row)
    const roleText = value(row, 'role')
    const buildingName = value(row, 'building')
    const unitName = value(row, 'unit')
    const password = value(row, 'password') || null

    if (!name) problems.push('姓名不能为空')
    else if (name.length > NAME_MAX) problems.push(`姓名不能超过${NAME_MAX}字`)
    if (!MOBILE_PATTERN.test(phone)) problems.push(`手机号「${value(row, 'phone')}」不是11位手机号`)
    else if (registered.has(phone)) problems.push(`手机号 ${phone} 已有账号，请在人员列表中为其添加岗位`)
    const role = roleOf(roleText)
    if (!role) problems.push(roleText ? `没有「${roleText}」这个角色` : '角色不能为空')
    if (password) {
      const problem = passwordProblem(password)
      if (problem) problems.push(`初始密码：${problem}`)
    }

    let place: Place | null = places.root
    if (buildingName || unitName) {
      if (places.root.kind !== 'compound') {
        problems.push('只有导入到小区时才能填写楼栋和单元')
        place = null
      } else if (!buildingName) {
        problems.push('填写单元时须同时填写楼栋')
        place = null
      } else {
        const building = places.buildings.get(buildingName)
        if (!building) {
          problems.push(`本小区没有「${buildingName}」`)
          place = null
        } else if (unitName) {
          place = places.units.get(building.id)?.get(unitName) ?? null
          if (!place) problems.push(`「${buildingName}」没有「${unitName}」`)
        } else {
          place = building
        }
      }
    }
    if (role && place && !rolePlaceAllowed(role, place.kind)) {
      const kinds = ROLE_PLACE_KINDS[role].map((k) => PLACE_KIND_LABELS[k]).join('、')
      problems.push(`${ROLE_LABELS[role]}只能设在${kinds}`)
    }

    if (MOBILE_PATTERN.test(phone) && name) {
      // One person may take several rows (one per role); the rows must agree on who they are.
      const first = people.get(phone)
      if (!first) people.set(phone, { row: row.row, name, password })
      else {
        if (first.name !== name) problems.push(`手机号与第${first.row}行相同，但姓名不同`)
        if (password && first.password && password !== first.password) {
          problems.push(`初始密码与第${first.row}行不同`)
        }
        if (password && !first.password) first.password = password
      }
      if (role && place) {
        const key = `${phone}\u0000${role}\u0000${place.id}`
        const duplicate = seen.get(key)
        if (duplicate) problems.push(`与第${duplicate}行重复`)
        else seen.set(key, row.row)
      }
    }

    if (problems.length > 0) {
      for (const message of problems) errors.push({ path: `row ${row.row}`, message })
      continue
    }
    valid.push({ row: row.row, name, phone, role: role!, place: place!, password: null })
  }
  if (errors.length > 0) return { rows: [], errors }
  // A person's password may come from any of their rows: settle it once all rows are read.
  return { rows: valid.map((r) => ({ ...r, password: people.get(r.phone)!.password })), errors }
}
