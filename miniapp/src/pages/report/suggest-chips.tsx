import { useEffect, useMemo, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { categoryOf, reasonText, suggestCategories, type CategoryCode, type CategorySuggestion } from '@mq/shared'
import { getCategoryHints } from '@/api/suggest'
import { useResource } from '@/data/resource'

/** Typing pauses this long before the suggestion follows the words. */
export const SUGGEST_DEBOUNCE_MS = 400

/** The value once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/**
 * Up to three categories for the words typed so far: the shared model's seeded words plus what the
 * compound's staff taught it (fetched once per compound; without them the seeded words alone).
 */
export function useCategorySuggestions(description: string, compoundId: string | null): CategorySuggestion[] {
  const hints = useResource(compoundId ? `category-hints:${compoundId}` : null, () => getCategoryHints(compoundId!), {
    refreshOnShow: false,
  }).data
  const text = useSettled(description, SUGGEST_DEBOUNCE_MS)
  return useMemo(() => suggestCategories(text, hints?.terms ?? []), [text, hints])
}

/**
 * 「可能是：」 large chips, each with the words it comes from. A tap chooses the category, as a tap on the
 * category itself would; nothing is chosen for the resident.
 */
export function SuggestChips({
  suggestions,
  chosen,
  disabled,
  onPick,
  testId = 'suggest',
}: {
  suggestions: CategorySuggestion[]
  chosen: CategoryCode | null
  disabled?: boolean
  onPick: (code: CategoryCode) => void
  testId?: string
}) {
  if (suggestions.length === 0) return null
  return (
    <View className='suggest' data-testid={testId}>
      <Text className='suggest__lead'>根据您写的内容，可能是：</Text>
      <View className='suggest__chips'>
        {suggestions.map((s) => {
          const on = chosen === s.code
          return (
            <View
              key={s.code}
              className={`suggest__chip${on ? ' suggest__chip--on' : ''}`}
              role='button'
              aria-pressed={on}
              aria-disabled={disabled || undefined}
              onClick={() => {
                if (!disabled) onPick(s.code)
              }}
              data-testid={`${testId}-${s.code}`}
              data-learned={s.learned ? 'true' : 'false'}
            >
              <Text className='suggest__label'>{`${on ? '✓ ' : ''}${categoryOf(s.code).label}`}</Text>
              <Text className='suggest__reason'>{`（因为：${reasonText(s)}）`}</Text>
            </View>
          )
        })}
      </View>
      <Text className='suggest__note'>仅供参考，请您自己选定类别。</Text>
    </View>
  )
}
