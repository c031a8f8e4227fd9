/**
 * What an action did or why it did not, or a warning before acting: a line that stays on the page until
 * the next action (a toast would vanish before an elderly reader has read it).
 */
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import './notice.scss'

export type NoticeTone = 'ok' | 'warn' | 'error'

export function Notice({
  tone,
  title,
  testId,
  children,
}: {
  tone: NoticeTone
  title?: string
  testId?: string
  children?: ReactNode
}) {
  return (
    <View
      className={`mq-notice mq-notice--${tone}`}
      data-testid={testId}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      {title ? <Text className='mq-notice__title'>{title}</Text> : null}
      {typeof children === 'string' ? <Text>{children}</Text> : children}
    </View>
  )
}
