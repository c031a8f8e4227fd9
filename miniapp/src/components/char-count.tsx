import { Text } from '@tarojs/components'

/**
 * How long a text is against its limit, under a TextArea. The kit's own count would cut a pasted text at
 * the limit; this one lets it stay whole, turns red past the limit and says how much to delete.
 */
export function CharCount({ length, max, testId }: { length: number; max: number; testId?: string }) {
  const over = length > max
  return (
    <Text className={`mq-counter${over ? ' mq-counter--over' : ''}`} data-testid={testId} data-over={over ? 'true' : 'false'}>
      {over ? `${length}/${max}，请删去${length - max}字` : `${length}/${max}`}
    </Text>
  )
}
