/**
 * A white card around one task of a page, with an optional heading and something beside it (a tag, a
 * count). The card itself is app.scss's `mq-card` (outlined in 长辈模式), shared with the resident pages.
 */
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import './card.scss'

export function Card({
  title,
  extra,
  className,
  testId,
  children,
  ...data
}: {
  title?: string
  extra?: ReactNode
  className?: string
  testId?: string
  children?: ReactNode
} & Record<`data-${string}`, string | undefined>) {
  return (
    <View className={`mq-card${className ? ` ${className}` : ''}`} data-testid={testId} {...data}>
      {title || extra ? (
        <View className='mq-card__head'>
          {/* `st-h2`: the staff pages' heading class, by which the e2e tests find a card's heading. */}
          {title ? <Text className='mq-card__title st-h2'>{title}</Text> : null}
          {extra}
        </View>
      ) : null}
      {children}
    </View>
  )
}
