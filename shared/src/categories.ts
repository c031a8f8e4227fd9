import type { HandlerRole } from './roles'
import type { Severity } from './tickets'

/** The default 责任清单: category → lead role, co-roles and severity. Compounds may override. */
export const CATEGORY_CODES = [
  'sanitation',
  'facilities',
  'leak',
  'parking',
  'public_security',
  'group_rental',
  'fire_safety',
  'illegal_construction',
  'shops',
  'neighbor_dispute',
  'elderly_care',
  'suggestion',
  'other',
] as const
export type CategoryCode = (typeof CATEGORY_CODES)[number]

export interface RoutingRule {
  leadRole: HandlerRole
  coRoles: HandlerRole[]
  severity: Severity
}

export interface Category extends RoutingRule {
  code: CategoryCode
  label: string
  hint: string
}

export const CATEGORIES: readonly Category[] = [
  { code: 'sanitation', label: '环境卫生', hint: '垃圾、卫生、异味', leadRole: 'property_manager', coRoles: [], severity: 'simple' },
  { code: 'facilities', label: '公共设施报修', hint: '路灯、楼道灯、门禁、电梯', leadRole: 'property_manager', coRoles: [], severity: 'simple' },
  { code: 'leak', label: '房屋漏水', hint: '屋顶、外墙、管道漏水', leadRole: 'property_manager', coRoles: [], severity: 'complex' },
  { code: 'parking', label: '停车与出入口交通', hint: '乱停车、出入口拥堵', leadRole: 'traffic_police', coRoles: ['property_manager'], severity: 'complex' },
  { code: 'public_security', label: '治安安全', hint: '可疑人员、盗窃', leadRole: 'police', coRoles: [], severity: 'complex' },
  { code: 'group_rental', label: '群租与分割房', hint: '群租、隔断房', leadRole: 'police', coRoles: [], severity: 'complex' },
  { code: 'fire_safety', label: '消防通道与安全隐患', hint: '堵塞通道、电瓶车充电', leadRole: 'property_manager', coRoles: ['city_management'], severity: 'simple' },
  { code: 'illegal_construction', label: '违建、占绿、乱搭', hint: '违章搭建、毁绿种菜', leadRole: 'city_management', coRoles: [], severity: 'complex' },
  { code: 'shops', label: '商铺油烟噪音与经营', hint: '油烟、噪音、占道经营', leadRole: 'market_supervision', coRoles: ['city_management'], severity: 'complex' },
  { code: 'neighbor_dispute', label: '邻里纠纷', hint: '噪音、漏水、公共空间', leadRole: 'grid_lead', coRoles: [], severity: 'complex' },
  { code: 'elderly_care', label: '生活需求与助老', hint: '助餐、助医、代办', leadRole: 'grid_lead', coRoles: [], severity: 'simple' },
  { code: 'suggestion', label: '意见建议', hint: '对小区的建议', leadRole: 'self_management_lead', coRoles: [], severity: 'complex' },
  { code: 'other', label: '其他', hint: '其他问题', leadRole: 'grid_lead', coRoles: [], severity: 'simple' },
]

const BY_CODE = new Map(CATEGORIES.map((c) => [c.code, c]))

export function categoryOf(code: CategoryCode): Category {
  const category = BY_CODE.get(code)
  if (!category) throw new Error(`unknown category ${code}`)
  return category
}

export function isCategoryCode(value: unknown): value is CategoryCode {
  return typeof value === 'string' && BY_CODE.has(value as CategoryCode)
}

/** The routing rule in force: the compound's override for the category, else the default. */
export function routingRuleFor(
  code: CategoryCode,
  overrides: Partial<Record<CategoryCode, RoutingRule>> = {},
): RoutingRule {
  const { leadRole, coRoles, severity } = overrides[code] ?? categoryOf(code)
  return { leadRole, coRoles: [...coRoles], severity }
}
