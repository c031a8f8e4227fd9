/**
 * One choice (or several, `multiple`) among a few, as kit buttons that stay pressed: large enough for a
 * thumb, every option in view. Buttons rather than the kit's Radio, which passes neither test ids nor a
 * pressed state on to the page and is too small in its button shape for 长辈模式.
 */
import { View } from '@tarojs/components'
import { Button } from '@/ui/button'
import './choices.scss'

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
