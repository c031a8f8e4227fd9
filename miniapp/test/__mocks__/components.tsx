/**
 * Stand-ins for @tarojs/components in jsdom: View → div, Text → span, Button → button. Only the props
 * the app uses; Taro-only props are dropped or kept as data-* so tests can see them.
 */
import type { CSSProperties, ReactNode } from 'react'

type DataAttributes = { [key: `data-${string}`]: string | undefined }
type AriaAttributes = { [key: `aria-${string}`]: string | boolean | undefined }

type BaseProps = DataAttributes & AriaAttributes & {
  className?: string
  style?: CSSProperties
  id?: string
  children?: ReactNode
  onClick?: () => void
}

export function View({ children, ...rest }: BaseProps) {
  return <div {...rest}>{children}</div>
}

export function Text({ children, ...rest }: BaseProps & { selectable?: boolean; userSelect?: boolean }) {
  const { selectable: _selectable, userSelect: _userSelect, ...dom } = rest
  return <span {...dom}>{children}</span>
}

type ButtonProps = BaseProps & {
  type?: 'primary' | 'default' | 'warn'
  size?: 'default' | 'mini'
  disabled?: boolean
  loading?: boolean
  openType?: string
}

export function Button({ children, type, size, loading, openType: _openType, disabled, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type='button'
      disabled={disabled}
      data-taro-type={type}
      data-taro-size={size}
      aria-busy={loading || undefined}
    >
      {children}
    </button>
  )
}

type InputEvent = { detail: { value: string } }

type InputProps = DataAttributes &
  AriaAttributes & {
    className?: string
    value?: string
    type?: string
    password?: boolean
    placeholder?: string
    maxlength?: number
    disabled?: boolean
    onInput?: (event: InputEvent) => void
    onConfirm?: (event: InputEvent) => void
  }

/** Taro's Input: events carry `detail.value`; Enter confirms. */
export function Input({ type, password, maxlength, onInput, onConfirm, value, ...rest }: InputProps) {
  return (
    <input
      {...rest}
      type={password ? 'password' : 'text'}
      data-taro-type={type}
      maxLength={maxlength}
      value={value ?? ''}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onConfirm?.({ detail: { value: e.currentTarget.value } })
      }}
    />
  )
}

type TextareaProps = DataAttributes &
  AriaAttributes & {
    className?: string
    value?: string
    placeholder?: string
    maxlength?: number
    disabled?: boolean
    onInput?: (event: InputEvent) => void
  }

/** Taro's Textarea: events carry `detail.value`. */
export function Textarea({ maxlength, onInput, value, ...rest }: TextareaProps) {
  return <textarea {...rest} maxLength={maxlength} value={value ?? ''} onChange={(e) => onInput?.({ detail: { value: e.target.value } })} />
}

type PickerProps = DataAttributes & {
  mode?: 'selector' | 'date' | 'time'
  value?: string | number
  start?: string
  end?: string
  range?: unknown[]
  onChange?: (event: { detail: { value: string | number } }) => void
  children?: ReactNode
}

/** Taro's Picker as a native input of its mode (a date picker: <input type="date">), around its label. */
export function Picker({ mode, value, start, end, onChange, children, range: _range, ...rest }: PickerProps) {
  return (
    <label>
      <input
        {...rest}
        type={mode === 'date' ? 'date' : 'text'}
        min={start}
        max={end}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange?.({ detail: { value: e.target.value } })}
      />
      {children}
    </label>
  )
}

/** ScrollView as a plain scrolling box (NutUI's tabs, pickers and lists use it). */
export function ScrollView({ children, scrollX: _x, scrollY: _y, scrollLeft: _l, scrollTop: _t, scrollWithAnimation: _a, ...rest }: BaseProps & Record<string, unknown>) {
  return <div {...(rest as BaseProps)}>{children}</div>
}

/** Image as <img>. */
export function Image({ src, mode: _mode, ...rest }: BaseProps & { src?: string; mode?: string }) {
  return <img alt='' src={src} {...rest} />
}
