import { Text, View } from '@tarojs/components'
import { categoryOf, type CategoryCode } from '@mq/shared'

/**
 * A large glyph on a coloured tile for each category: readable at a glance, and the same on every phone
 * (no emoji font needed). White on each colour is at least 4.5:1.
 */
export const CATEGORY_ICONS: Record<CategoryCode, { glyph: string; color: string }> = {
  sanitation: { glyph: '洁', color: '#2e7d32' },
  facilities: { glyph: '修', color: '#1565c0' },
  leak: { glyph: '漏', color: '#00695c' },
  parking: { glyph: '车', color: '#b45309' },
  public_security: { glyph: '安', color: '#b3261e' },
  group_rental: { glyph: '租', color: '#6a1b9a' },
  fire_safety: { glyph: '消', color: '#c2410c' },
  illegal_construction: { glyph: '建', color: '#6d4c41' },
  shops: { glyph: '店', color: '#8d6e00' },
  neighbor_dispute: { glyph: '邻', color: '#ad1457' },
  elderly_care: { glyph: '老', color: '#00796b' },
  suggestion: { glyph: '议', color: '#283593' },
  other: { glyph: '他', color: '#455a64' },
}

export function CategoryIcon({ code, small }: { code: CategoryCode; small?: boolean }) {
  const icon = CATEGORY_ICONS[code]
  return (
    <View className={`mq-cat-icon${small ? ' mq-cat-icon--small' : ''}`} style={{ background: icon.color }}>
      <Text className='mq-cat-icon__glyph'>{icon.glyph}</Text>
    </View>
  )
}

/** 公共设施报修 */
export function categoryLabel(code: string): string {
  try {
    return categoryOf(code as CategoryCode).label
  } catch {
    return '其他'
  }
}
