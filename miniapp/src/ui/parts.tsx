// Small pieces on top of the kit that the staff pages and the console share: a titled card, a tag, a notice
// that stays on the page, a row of choices. Their sheet, parts.scss (on the theme's variables), is taken in
// by the sheets of the pages that use them (staff.scss, admin.scss): imported from here it would be a chunk
// of its own in each subpackage, and one more entry in the main package's runtime.
import type { ReactNode } from 'react'
import { Tag as NutTag } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/ui/button'

/**
 * A white card around one task of a page, with an optional heading and something beside it (a tag, a
 * count). The card itself is app.scss's `mq-card` (outlined in 长辈模式), shared with the resident pages.
 */
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
          {/* `st-h2` carries no style: the browser tests find a card's heading by it. */}
          {title ? <Text className='mq-card__title st-h2'>{title}</Text> : null}
          {extra}
        </View>
      ) : null}
      {children}
    </View>
  )
}

/**
 * A short label (a state, a severity, a count of chases, 必填): the kit's Tag, filled unless `outline` or
 * `plain`. The kit's Tag takes no test id or data attributes, so a wrapper carries them.
 */
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

/**
 * What an action did or why it did not, or a warning before acting: a line that stays on the page until
 * the next action (a toast would vanish before an elderly reader has read it).
 */
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

/**
 * One choice (or several, `multiple`) among a few, as kit buttons that stay pressed: large enough for a
 * thumb, every option in view. Buttons rather than the kit's Radio, which passes neither test ids nor a
 * pressed state on to the page and is too small in its button shape for 长辈模式.
 */
export interface Choice<V extends string> {
  value: V
  label: string
  testId?: string
}

export function Choices<V extends string>({
  choices,
  value,
  onPick,
  multiple,
  grid,
  small,
  disabled,
  testId,
}: {
  choices: readonly Choice<V>[]
  /** The chosen one, or the chosen ones. */
  value: V | null | undefined | readonly V[]
  onPick: (value: V) => void
  multiple?: boolean
  /** Equal columns of two-line labels, for longer option names. */
  grid?: boolean
  /** The console's denser rows. */
  small?: boolean
  disabled?: boolean
  testId?: string
}) {
  const on = (v: V) => (Array.isArray(value) ? value.includes(v) : value === v)
  return (
    <View
      className={`mq-choices${grid ? ' mq-choices--grid' : ''}`}
      role={multiple ? 'group' : 'radiogroup'}
      data-testid={testId}
    >
      {choices.map((choice) => (
        <Button
          key={choice.value}
          className='mq-choice'
          type={on(choice.value) ? 'primary' : 'default'}
          fill={on(choice.value) ? 'solid' : 'outline'}
          size={small ? 'small' : undefined}
          disabled={disabled}
          aria-pressed={on(choice.value)}
          onClick={() => onPick(choice.value)}
          data-testid={choice.testId}
        >
          {choice.label}
        </Button>
      ))}
    </View>
  )
}
