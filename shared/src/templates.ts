import type { CategoryCode } from './categories'
import { localParts, type Instant } from './time'

/**
 * Reply templates (常用回复): texts staff keep per place, category and action, with placeholders filled for
 * the request at hand. The after-photo rule of resolving lives here too (see AFTER_PHOTO_DEFAULT_CATEGORIES).
 */

/** The handling steps a template can fill: 受理, 请居民补充, 答复承诺, 办结, 不予受理. */
export const TEMPLATE_ACTIONS = ['accept', 'wait', 'reply', 'resolve', 'reject'] as const
export type TemplateAction = (typeof TEMPLATE_ACTIONS)[number]

export const TEMPLATE_ACTION_LABELS: Record<TemplateAction, string> = {
  accept: '受理',
  wait: '请居民补充',
  reply: '答复承诺',
  resolve: '办结',
  reject: '不予受理',
}

/** Where templates are kept: a compound's own, or its community's or street's (inherited, nearer wins). */
export const TEMPLATE_PLACE_KINDS = ['street', 'community', 'compound'] as const
export type TemplatePlaceKind = (typeof TEMPLATE_PLACE_KINDS)[number]

export const TEMPLATE_TITLE_MAX = 12
/** Below the handling text limit, so that the filled placeholders still fit in the form. */
export const TEMPLATE_TEXT_MAX = 400

export const TEMPLATE_PLACEHOLDERS = {
  number: '{编号}',
  date: '{日期}',
  handler: '{负责人}',
  phone: '{电话}',
} as const
export type TemplateValues = Record<keyof typeof TEMPLATE_PLACEHOLDERS, string>

const PLACEHOLDER = /\{([^{}]{1,10})\}/g
const KNOWN = new Set<string>(Object.values(TEMPLATE_PLACEHOLDERS))

/** Placeholders in `text` that are not ours (e.g. `{姓名}`), each once, in order. */
export function unknownPlaceholders(text: string): string[] {
  const found = [...text.matchAll(PLACEHOLDER)].map((m) => m[0]).filter((p) => !KNOWN.has(p))
  return [...new Set(found)]
}

/** The text with each placeholder replaced by the request's value. */
export function fillTemplate(text: string, values: TemplateValues): string {
  let out = text
  for (const [key, placeholder] of Object.entries(TEMPLATE_PLACEHOLDERS)) {
    out = out.split(placeholder).join(values[key as keyof TemplateValues])
  }
  return out
}

/** A day in words as staff write it to residents: 2026年6月3日 (Shanghai time). */
export function dateInWords(at: Instant): string {
  const { year, month, day } = localParts(at)
  return `${year}年${month}月${day}日`
}

/**
 * Categories whose resolution needs an "after" photo when the resident sent "before" ones, unless a
 * compound sets its own list: the visible, fixable kinds (公共设施报修, 环境卫生).
 */
export const AFTER_PHOTO_DEFAULT_CATEGORIES: readonly CategoryCode[] = ['facilities', 'sanitation']
