/**
 * The console's own small pieces on top of the kit: page headings, field labels, a row of actions (cards,
 * tags, notices and choices are src/ui's).
 * Type and colour come from the theme (app.scss's `mq-` type classes, NutUI's variables), so 长辈模式
 * resizes them with everything else.
 */
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

export function PageTitle({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Text className='mq-title admin-title' data-testid={testId}>
      {children}
    </Text>
  )
}

export function Lead({ children }: { children: ReactNode }) {
  return <Text className='mq-muted admin-lead'>{children}</Text>
}

export function Label({ children }: { children: ReactNode }) {
  return <Text className='admin-label'>{children}</Text>
}

/** A row of actions that wraps on narrow screens. */
export function Actions({ children, className }: { children: ReactNode; className?: string }) {
  return <View className={`admin-actions${className ? ` ${className}` : ''}`}>{children}</View>
}
