/**
 * The staff pages' own pieces on top of the kit (cards, tags, notices and choices are src/ui's): a failure
 * note, a labelled field, key–value lines, a date field. Colours and sizes come from the theme's variables
 * (staff.scss), so 长辈模式 enlarges them with the kit.
 */
import { useState, type ReactNode } from 'react'
import { DatePicker } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/ui/button'
import { Notice } from '@/ui/parts'

/** A failure with what to do about it, and the request id for the help desk. */
export function ErrorNote({ message, requestId, onRetry }: { message: string; requestId?: string | null; onRetry?: () => void }) {
  return (
    <Notice tone='error' testId='staff-error'>
      <Text className='st-text'>{message}</Text>
      {requestId ? <Text className='st-hint'>{`错误编号：${requestId}`}</Text> : null}
      {onRetry ? (
        <Button size='small' onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </Notice>
  )
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
