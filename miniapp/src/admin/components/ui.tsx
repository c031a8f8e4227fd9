/**
 * The console's small pieces on top of the kit: page headings, inline notices, choice chips and badges.
 * Type and colour come from the theme (app.scss's `mq-` type classes, NutUI's variables), so 长辈模式
 * resizes them with everything else.
 */
import type { ReactNode } from 'react'
import { Tag } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/ui/button'

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

/** A white panel around one task of the page. */
export function Panel({ title, className, testId, children, ...data }: { title?: string; className?: string; testId?: string; children: ReactNode; [key: `data-${string}`]: string | undefined }) {
  return (
    <View className={`mq-card admin-panel${className ? ` ${className}` : ''}`} data-testid={testId} {...data}>
      {title ? <Text className='mq-subtitle'>{title}</Text> : null}
      {children}
    </View>
  )
}

export type NoticeKind = 'ok' | 'error' | 'warn'

/** What an action did or why it did not: stays on the page until the next action (a toast would vanish). */
export function Notice({ kind, title, children, testId }: { kind: NoticeKind; title?: string; children?: ReactNode; testId?: string }) {
  return (
    <View className={`admin-notice admin-notice--${kind}`} data-testid={testId} role={kind === 'error' ? 'alert' : 'status'}>
      {title ? <Text className='admin-notice__title'>{title}</Text> : null}
      {typeof children === 'string' ? <Text>{children}</Text> : children}
    </View>
  )
}

export type BadgeKind = 'plain' | 'kind' | 'ok' | 'warn' | 'danger'

const BADGE_TYPES = { plain: 'default', kind: 'primary', ok: 'success', warn: 'warning', danger: 'danger' } as const

export function Badge({ kind = 'plain', children, testId }: { kind?: BadgeKind; children: ReactNode; testId?: string }) {
  return (
    <View className='admin-badge' data-testid={testId}>
      <Tag type={BADGE_TYPES[kind]} plain={kind === 'plain'}>
        {children}
      </Tag>
    </View>
  )
}

export interface Choice<V extends string> {
  value: V
  label: string
  testId?: string
}

/**
 * A row of choices as kit buttons, the chosen ones filled: one (`value`) or several (`values`). Buttons
 * rather than NutUI's Radio, which passes neither test ids nor a pressed state on to the page.
 */
export function Chips<V extends string>({
  choices,
  chosen,
  onPick,
  testId,
  disabled,
}: {
  choices: readonly Choice<V>[]
  chosen: (value: V) => boolean
  onPick: (value: V) => void
  testId?: string
  disabled?: boolean
}) {
  return (
    <View className='admin-chips' data-testid={testId}>
      {choices.map((choice) => {
        const on = chosen(choice.value)
        return (
          <Button
            key={choice.value}
            className='admin-chip'
            type={on ? 'primary' : 'default'}
            fill={on ? 'solid' : 'outline'}
            size='small'
            disabled={disabled}
            aria-pressed={on}
            onClick={() => onPick(choice.value)}
            data-testid={choice.testId}
          >
            {choice.label}
          </Button>
        )
      })}
    </View>
  )
}

/** A row of actions that wraps on narrow screens. */
export function Actions({ children, className }: { children: ReactNode; className?: string }) {
  return <View className={`admin-actions${className ? ` ${className}` : ''}`}>{children}</View>
}
