/**
 * Stand-ins for @tarojs/components in jsdom: View → div, Text → span, Button → button. Only the props
 * the app uses; Taro-only props are dropped or kept as data-* so tests can see them.
 */
import type { CSSProperties, ReactNode } from 'react'

type DataAttributes = { [key: `data-${string}`]: string | undefined }

type BaseProps = DataAttributes & {
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
