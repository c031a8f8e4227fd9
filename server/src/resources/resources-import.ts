import {
  CONTACT_PHONE_PATTERN,
  RESOURCE_ADDRESS_MAX,
  RESOURCE_AVAILABILITY_MAX,
  RESOURCE_CONTACT_NAME_MAX,
  RESOURCE_HOURS_MAX,
  RESOURCE_IMPORT_COLUMNS,
  RESOURCE_IMPORT_MAX_ROWS,
  RESOURCE_NAME_MAX,
  RESOURCE_TAG_MAX,
  RESOURCE_TAGS_MAX,
  resourceKindOf,
  splitTags,
  type ResourceKind,
} from '@mq/shared'
import { cell, exceljs, type SheetRow } from '../common/spreadsheet'

/** One resource to exist after an import. */
export interface ResourceImportRow {
  row: number
  kind: ResourceKind
  name: string
  tags: string[]
  openingHours: string | null
  address: string | null
  contactName: string | null
  contactPhone: string | null
  availability: string | null
}

export interface RowError {
  path: string
  message: string
}

const [KIND, NAME, TAGS, HOURS, ADDRESS, CONTACT, PHONE, AVAILABILITY] = RESOURCE_IMPORT_COLUMNS

/**
 * Validates every row before anything is written: the keeper gets all errors at once, each with the row
 * number Excel shows. Headers in Chinese (the template's) or English.
 */
export function validateResourceRows(rows: SheetRow[]): { resources: ResourceImportRow[]; errors: RowError[] } {
  const errors: RowError[] = []
  const resources: ResourceImportRow[] = []
  const seen = new Map<string, number>()
  if (rows.length === 0) errors.push({ path: 'file', message: '文件中没有数据行' })
  if (rows.length > RESOURCE_IMPORT_MAX_ROWS) {
    errors.push({ path: 'file', message: `一次最多导入${RESOURCE_IMPORT_MAX_ROWS}行，请分批导入` })
    return { resources, errors }
  }
  for (const row of rows) {
    const kindText = cell(row, KIND, 'kind')
    const name = cell(row, NAME, 'name')
    const tags = splitTags(cell(row, TAGS, 'tags', '技能', '服务'))
    const openingHours = cell(row, HOURS, 'opening_hours') || null
    const address = cell(row, ADDRESS, 'address', '地址', '说明') || null
    const contactName = cell(row, CONTACT, 'contact_name') || null
    const contactPhone = cell(row, PHONE, 'contact_phone', '电话') || null
    const availability = cell(row, AVAILABILITY, 'availability') || null
    const rowErrors: string[] = []
    const kind = resourceKindOf(kindText)
    if (!kindText) rowErrors.push('类型不能为空（单位、志愿者 或 场地）')
    else if (!kind) rowErrors.push(`类型「${kindText.slice(0, 10)}」不对，须为 单位、志愿者 或 场地`)
    if (!name) rowErrors.push('名称不能为空')
    else if (name.length > RESOURCE_NAME_MAX) rowErrors.push(`名称不能超过${RESOURCE_NAME_MAX}字`)
    if (tags.length > RESOURCE_TAGS_MAX) rowErrors.push(`技能或服务最多${RESOURCE_TAGS_MAX}项`)
    if (tags.some((t) => t.length > RESOURCE_TAG_MAX)) rowErrors.push(`每项技能或服务不能超过${RESOURCE_TAG_MAX}字`)
    if (openingHours && openingHours.length > RESOURCE_HOURS_MAX) rowErrors.push(`开放时间不能超过${RESOURCE_HOURS_MAX}字`)
    if (kind === 'venue' && !openingHours) rowErrors.push('场地须填写开放时间')
    if (address && address.length > RESOURCE_ADDRESS_MAX) rowErrors.push(`地址或说明不能超过${RESOURCE_ADDRESS_MAX}字`)
    if (contactName && contactName.length > RESOURCE_CONTACT_NAME_MAX) rowErrors.push(`联系人不能超过${RESOURCE_CONTACT_NAME_MAX}字`)
    if (contactPhone && !CONTACT_PHONE_PATTERN.test(contactPhone)) rowErrors.push('联系电话须为手机号或带区号的座机号')
    if (kind === 'volunteer' && !contactPhone) rowErrors.push('志愿者须填写联系电话')
    if (availability && availability.length > RESOURCE_AVAILABILITY_MAX) rowErrors.push(`可用情况不能超过${RESOURCE_AVAILABILITY_MAX}字`)
    const key = `${kind}\u0000${name}`
    if (kind && name && seen.has(key)) rowErrors.push(`与第${seen.get(key)}行重复`)
    seen.set(key, row.row)
    if (rowErrors.length > 0 || !kind) {
      for (const message of rowErrors) errors.push({ path: `row ${row.row}`, message })
      continue
    }
    resources.push({ row: row.row, kind, name, tags, openingHours, address, contactName, contactPhone, availability })
  }
  return { resources, errors }
}

/** The import template: the columns on the first sheet, what goes in each (with examples) on the second. */
export async function resourceImportTemplate(): Promise<Buffer> {
  const workbook = new (exceljs().Workbook)()
  const sheet = workbook.addWorksheet('资源清单')
  sheet.addRow([...RESOURCE_IMPORT_COLUMNS])
  sheet.getRow(1).font = { bold: true }
  sheet.columns.forEach((column) => (column.width = 18))
  const help = workbook.addWorksheet('填写说明')
  help.addRow(['列', '说明', '示例'])
  help.getRow(1).font = { bold: true }
  const notes: [string, string, string][] = [
    [KIND, '必填：单位、志愿者 或 场地', '志愿者'],
    [NAME, `必填，不超过${RESOURCE_NAME_MAX}字；同一小区内 类型+名称 相同的行会更新已有资源`, '李阿姨'],
    [TAGS, `技能或服务，用顿号或逗号分隔，最多${RESOURCE_TAGS_MAX}项`, '理发、陪诊'],
    [HOURS, '场地必填', '每天 8:00-20:00'],
    [ADDRESS, `不超过${RESOURCE_ADDRESS_MAX}字`, '3幢1单元旁'],
    [CONTACT, '个人信息：仅本小区网格长、物业、自管小组可见全文', '李*'],
    [PHONE, '志愿者必填；手机号或带区号的座机号', '13800000000'],
    [AVAILABILITY, `不超过${RESOURCE_AVAILABILITY_MAX}字`, '工作日上午'],
  ]
  for (const note of notes) help.addRow(note)
  help.columns.forEach((column) => (column.width = 30))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
