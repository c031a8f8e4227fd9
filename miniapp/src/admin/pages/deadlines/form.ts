/**
 * The deadline settings form: text fields → the PUT body, with every problem named in Chinese beside
 * its field before anything is sent. The shared schema stays the judge (the server runs it too); these
 * checks only say it in the admin's words.
 */
import {
  DEADLINE_SETTING_LIMITS,
  DeadlineSettingsInputSchema,
  deadlineConfigProblems,
  type DeadlineConfig,
  type DeadlineSettingsInput,
} from '@mq/shared'

/** The boxes of the form; per-role day types are set through the API for now. */
export type SettingKey = Exclude<keyof DeadlineSettingsInput, 'dayTypes'>

export interface SettingField {
  key: SettingKey
  label: string
  /** After the box: "分钟", "小时"… */
  unit: string
  kind: 'time' | 'int' | 'percent'
  hint: string
}

export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'workdayStart', label: '工作时间开始', unit: '', kind: 'time', hint: '受理时限只在工作时间内计时' },
  { key: 'workdayEnd', label: '工作时间结束', unit: '', kind: 'time', hint: '夜间提交的诉求，次日上班后开始计时' },
  { key: 'acceptWithinMinutes', label: '受理时限', unit: '分钟', kind: 'int', hint: '提交后多少工作分钟内须受理' },
  { key: 'simpleCutoff', label: '简单诉求当日截止', unit: '', kind: 'time', hint: '此刻之前提交的简单诉求当天办结，之后的次日办结' },
  { key: 'complexReplyHours', label: '复杂诉求答复时限', unit: '小时', kind: 'int', hint: '提交后多少小时内须给出答复和承诺' },
  { key: 'maxPromiseDays', label: '承诺办结最长', unit: '天', kind: 'int', hint: '答复中承诺的办结日期最多在多少天后' },
  { key: 'autoCloseDays', label: '未评价自动销号', unit: '天', kind: 'int', hint: '办结后居民一直未评价，多少天后自动销号' },
  { key: 'warnAtFraction', label: '预警时点', unit: '%', kind: 'percent', hint: '时限过去百分之多少时提醒处理人' },
]

export type FormValues = Record<SettingKey, string>
export type FormErrors = Partial<Record<SettingKey, string>>

/** How a configured value is written in its box (a fraction as a percentage). */
export function displayValue(field: SettingField, value: string | number | undefined): string {
  if (value === undefined) return ''
  if (field.kind === 'percent' && typeof value === 'number') return String(Math.round(value * 1000) / 10)
  return String(value)
}

/** The boxes filled with the compound's own values; empty where it uses the default. */
export function formFromOverrides(overrides: Partial<Pick<DeadlineConfig, SettingKey>>): FormValues {
  const values = {} as FormValues
  for (const field of SETTING_FIELDS) values[field.key] = displayValue(field, overrides[field.key])
  return values
}

const TIME = /^(\d{1,2})[:：](\d{2})$/
const INTEGER = /^\d+$/
const NUMBER = /^\d+(\.\d+)?$/

function parseTime(text: string): string | null {
  const match = TIME.exec(text)
  if (!match) return null
  const [h, m] = [Number(match[1]), Number(match[2])]
  if (h > 23 || m > 59) return null
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

function limitOf(key: SettingKey): number {
  return (DEADLINE_SETTING_LIMITS as Record<string, number>)[key] ?? Number.MAX_SAFE_INTEGER
}

/**
 * The PUT body from the boxes (an empty box: the default), or the problems per field. Checks each box,
 * then the whole as it would apply (overrides over defaults): the working day must open before it closes
 * and the simple cut-off lie inside it.
 */
export function validateDeadlineForm(
  values: FormValues,
  defaults: DeadlineConfig,
): { input: DeadlineSettingsInput; errors: FormErrors } {
  const input: Record<string, string | number> = {}
  const errors: FormErrors = {}
  for (const field of SETTING_FIELDS) {
    const text = values[field.key].trim()
    if (text === '') continue
    if (field.kind === 'time') {
      const time = parseTime(text)
      if (time === null) errors[field.key] = `请按 08:00 的格式填写${field.label}`
      else input[field.key] = time
    } else if (field.kind === 'int') {
      const max = limitOf(field.key)
      if (!INTEGER.test(text)) errors[field.key] = `${field.label}请填写整数`
      else if (Number(text) < 1) errors[field.key] = `${field.label}至少为 1${field.unit}`
      else if (Number(text) > max) errors[field.key] = `${field.label}不能超过 ${max}${field.unit}`
      else input[field.key] = Number(text)
    } else {
      const pct = Number(text)
      if (!NUMBER.test(text)) errors[field.key] = `${field.label}请填写 1–99 之间的数字`
      else if (pct <= 0 || pct >= 100) errors[field.key] = `${field.label}须在 1% 到 99% 之间`
      else input[field.key] = Math.round(pct * 10) / 1000
    }
  }

  const merged = {
    workdayStart: (input.workdayStart as string | undefined) ?? defaults.workdayStart,
    workdayEnd: (input.workdayEnd as string | undefined) ?? defaults.workdayEnd,
    simpleCutoff: (input.simpleCutoff as string | undefined) ?? defaults.simpleCutoff,
  }
  for (const problem of deadlineConfigProblems(merged)) {
    const key = problem.path as SettingKey
    errors[key] ??= problem.message
  }

  if (Object.keys(errors).length === 0) {
    // The shared schema has the last word, so nothing the server would refuse is sent.
    const checked = DeadlineSettingsInputSchema.safeParse(input)
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const key = String(issue.path[0] ?? '') as SettingKey
        if (SETTING_FIELDS.some((f) => f.key === key)) errors[key] ??= issue.message
      }
    } else return { input: checked.data, errors }
  }
  return { input: input as DeadlineSettingsInput, errors }
}
