/**
 * The staff pages' few pieces on top of the kit: a titled card, a tag, a notice, a labelled field, a row of
 * choices (kit buttons that stay pressed), key–value lines. Colours and sizes come from the theme's
 * variables (staff.scss), so 长辈模式 enlarges them with the kit.
 */
import { useState, type ReactNode } from 'react'
import { DatePicker, Tag as NutTag } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import type { ApiError } from '@/api/client'
import { Button } from '@/ui/button'

/** A white card; `title` is its heading (class `st-h2`, which tests read). */
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
    <View className={`st-card${className ? ` ${className}` : ''}`} data-testid={testId} {...data}>
      {title || extra ? (
        <View className='st-card__head'>
          {title ? <Text className='st-h2'>{title}</Text> : null}
          {extra}
        </View>
      ) : null}
      {children}
    </View>
  )
}

export type Tone = 'state' | 'plain' | 'warn' | 'danger' | 'ok' | 'muted'

const TAG_TYPES: Record<Tone, 'primary' | 'default' | 'warning' | 'danger' | 'success' | 'info'> = {
  state: 'primary',
  plain: 'info',
  warn: 'warning',
  danger: 'danger',
  ok: 'success',
  muted: 'default',
}

/**
 * A short label (state, severity, chases): the kit's Tag, filled for state and escalation, outlined for the
 * rest. The kit's Tag takes no test id, so a wrapper carries it.
 */
export function Tag({ tone = 'plain', testId, children, ...data }: { tone?: Tone; testId?: string; children: ReactNode } & Record<`data-${string}`, string | undefined>) {
  const filled = tone === 'state' || tone === 'danger'
  return (
    <Text className={`st-tag st-tag--${tone}`} data-testid={testId} {...data}>
      <NutTag type={TAG_TYPES[tone]} plain={!filled}>
        {children}
      </NutTag>
    </Text>
  )
}

/** A line of news on a page: done (ok), a warning before acting (notice), or a failure (error). */
export function Notice({ tone, testId, children }: { tone: 'ok' | 'notice' | 'error'; testId?: string; children: ReactNode }) {
  return (
    <View className={`st-notice st-notice--${tone}`} data-testid={testId} role={tone === 'error' ? 'alert' : undefined}>
      {children}
    </View>
  )
}

/** A failure with what to do about it, and the request id for the help desk. */
export function ErrorNote({ message, requestId, onRetry }: { message: string; requestId?: string | null; onRetry?: () => void }) {
  return (
    <Notice tone='error' testId='staff-error'>
      <Text className='st-text'>{message}</Text>
      {requestId ? <Text className='st-hint'>{`错误编号：${requestId}`}</Text> : null}
      {onRetry ? (
        <Button size='small' className='st-notice__retry' onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </Notice>
  )
}

/** The server's failure of an action, in one line (the first field problem when it names one). */
export function failureMessage(error: ApiError): string {
  return error.code === 'VALIDATION_FAILED' && error.details[0]?.message ? error.details[0].message : error.message
}

/** A labelled input: the label (with 选填 when optional), the control, a hint and the field's problem. */
export function Field({
  label,
  optional,
  hint,
  error,
  errorTestId,
  children,
}: {
  label?: string
  optional?: string | boolean
  hint?: ReactNode
  error?: string | null
  errorTestId?: string
  children: ReactNode
}) {
  return (
    <View className='st-field'>
      {label ? (
        <Text className='st-label'>
          {label}
          {optional ? <Text className='st-label__opt'>{optional === true ? '选填' : optional}</Text> : null}
        </Text>
      ) : null}
      {children}
      {error ? (
        <Text className='st-field-error' data-testid={errorTestId}>
          {error}
        </Text>
      ) : null}
      {hint ? <Text className='st-hint'>{hint}</Text> : null}
    </View>
  )
}

/**
 * One choice (or several, `multiple`) among a few, as kit buttons that stay pressed: large enough for a
 * thumb, every option in view (the kit's Radio in button shape is too small for 长辈模式).
 */
export function Choices<T extends string>({
  options,
  value,
  label,
  onChange,
  grid,
  multiple,
  testId,
  optionTestId,
}: {
  options: readonly T[]
  value: T | null | readonly T[]
  label: (option: T) => string
  onChange: (option: T) => void
  grid?: boolean
  multiple?: boolean
  testId?: string
  optionTestId?: (option: T) => string | undefined
}) {
  const on = (o: T) => (Array.isArray(value) ? value.includes(o) : value === o)
  return (
    <View className={`st-choices${grid ? ' st-choices--grid' : ''}`} role={multiple ? 'group' : 'radiogroup'} data-testid={testId}>
      {options.map((o) => (
        <Button
          key={o}
          className={`st-choice${on(o) ? ' st-choice--on' : ''}`}
          type={on(o) ? 'primary' : 'default'}
          fill={on(o) ? 'solid' : 'outline'}
          aria-checked={on(o)}
          onClick={() => onChange(o)}
          data-testid={optionTestId?.(o)}
        >
          {label(o)}
        </Button>
      ))}
    </View>
  )
}

/** A key and its value on one line; the value wraps under a long key on a narrow screen. */
export function Kv({ k, children, testId }: { k: string; children: ReactNode; testId?: string }) {
  return (
    <View className='st-kv'>
      <Text className='st-kv__k'>{k}</Text>
      <Text className='st-kv__v' data-testid={testId}>
        {children}
      </Text>
    </View>
  )
}

/** `YYYY-MM-DD` as a local date (the picker's), and back. */
function toDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d)
}

/**
 * A calendar day, shown in a full-size field; a tap opens the kit's DatePicker (year, month, day in
 * Chinese) between `start` and `end`.
 */
export function DateField({
  value,
  start,
  end,
  title,
  onChange,
  testId,
  valueTestId,
}: {
  value: string
  start?: string
  end: string
  title: string
  onChange: (day: string) => void
  testId?: string
  valueTestId?: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <View className='st-picker' role='button' onClick={() => setOpen(true)} data-testid={testId}>
        <Text data-testid={valueTestId}>{value || '请选择'}</Text>
        <Text className='st-label__opt'>（点此修改）</Text>
      </View>
      <DatePicker
        title={title}
        type='date'
        showChinese
        visible={open}
        value={value ? toDate(value) : toDate(end)}
        startDate={start ? toDate(start) : new Date(2020, 0, 1)}
        endDate={toDate(end)}
        onClose={() => setOpen(false)}
        onConfirm={(_options, values) => {
          const [y, m, d] = values.map((v) => String(v).padStart(2, '0'))
          onChange(`${y}-${m}-${d}`)
          setOpen(false)
        }}
      />
    </>
  )
}
