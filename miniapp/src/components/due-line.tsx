import { Text, View } from '@tarojs/components'
import type { DueInfo } from './due'

/**
 * A deadline in the residents' words (components/due.ts): 「明天 10:00 前受理 · 还剩 10小时19分钟」 on one
 * line in a list, or `big`: the deadline over a large countdown, red once overdue.
 */
export function DueLine({
  due,
  big,
  testId,
  countdownTestId,
}: {
  due: DueInfo
  big?: boolean
  testId?: string
  countdownTestId?: string
}) {
  const over = due.overdue ? ' mq-due--over' : ''
  if (!big) {
    return (
      <Text className={`mq-due${over}`} data-testid={testId}>
        {`${due.by} · ${due.left}`}
      </Text>
    )
  }
  return (
    <View className={`mq-due mq-due--big${over}`} data-testid={testId}>
      <Text className='mq-due__by'>{due.by}</Text>
      <Text className='mq-due__left' data-testid={countdownTestId}>
        {due.left}
      </Text>
    </View>
  )
}
