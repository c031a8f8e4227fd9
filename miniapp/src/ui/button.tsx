import type { ComponentProps } from 'react'
import { Button as NutButton } from '@nutui/nutui-react-taro'

type Props = ComponentProps<typeof NutButton> & { 'data-testid'?: string }

/**
 * NutUI's button, saying when it cannot be pressed: the kit keeps `disabled` and `loading` to itself (a
 * class and ignored taps), so screen readers and tests would not know; `aria-disabled` tells them.
 */
export function Button({ disabled, loading, ...rest }: Props) {
  return <NutButton {...rest} disabled={disabled} loading={loading} aria-disabled={disabled || loading ? 'true' : undefined} />
}
