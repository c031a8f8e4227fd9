/**
 * The @tarojs/components stand-ins (test/__mocks__/components.tsx) plus the two the resident pages also
 * use: Textarea (events carry `detail.value`) and Image. Specs opt in with
 * `jest.mock('@tarojs/components', () => jest.requireActual('<path>/test/resident-components'))`.
 */
import type { CSSProperties } from 'react'

// The spec's jest.mock replaces the base module itself, so take the real stand-ins from under it.
const base = jest.requireActual<typeof import('./__mocks__/components')>('./__mocks__/components')
export const { View, Text, Button, Input } = base

type DataAttributes = { [key: `data-${string}`]: string | undefined }

type TextareaProps = DataAttributes & {
  className?: string
  value?: string
  placeholder?: string
  maxlength?: number
  disabled?: boolean
  autoHeight?: boolean
  onInput?: (event: { detail: { value: string } }) => void
}

export function Textarea({ value, maxlength, autoHeight: _autoHeight, onInput, ...rest }: TextareaProps) {
  return (
    <textarea
      {...rest}
      maxLength={maxlength}
      value={value ?? ''}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  )
}

export function Image({ src, mode, ...rest }: DataAttributes & { className?: string; src: string; mode?: string; style?: CSSProperties }) {
  return <img {...rest} src={src} data-mode={mode} alt='' />
}
