/**
 * A short label (a state, a severity, a count of chases, 必填): the kit's Tag, filled unless `outline` or
 * `plain`. The kit's Tag takes no test id or data attributes, so a wrapper carries them.
 */
import type { ReactNode } from 'react'
import { Tag as NutTag } from '@nutui/nutui-react-taro'
import { Text } from '@tarojs/components'
import './tag.scss'

export type TagTone = 'primary' | 'ok' | 'warn' | 'danger' | 'plain'

const TYPES = {
  primary: 'primary',
  ok: 'success',
  warn: 'warning',
  danger: 'danger',
  plain: 'default',
} as const

export function Tag({
  tone = 'plain',
  outline,
  testId,
  children,
  ...data
}: { tone?: TagTone; outline?: boolean; testId?: string; children: ReactNode } & Record<
  `data-${string}`,
  string | undefined
>) {
  return (
    <Text className={`mq-tag mq-tag--${tone}`} data-testid={testId} {...data}>
      <NutTag type={TYPES[tone]} plain={outline || tone === 'plain'}>
        {children}
      </NutTag>
    </Text>
  )
}
