import { Text, View } from '@tarojs/components'
import { CHASE_COOLDOWN_MINUTES } from '@mq/shared'
import { Button } from '@/ui/button'
import { duration, useNow } from './due'

/**
 * 催一催: allowed once every 2 hours. Until then the button is disabled (aria-disabled: the kit ignores
 * taps itself) and says how long is left, counting down by the minute.
 */
export function ChaseButton({
  nextChaseAt,
  busy,
  onChase,
}: {
  /** When the resident may chase again (from the server); null: now. */
  nextChaseAt: string | null
  busy?: boolean
  onChase: () => void
}) {
  // The tick may be up to 15 s old when a fresh nextChaseAt arrives: measure from the later of the two.
  const now = Math.max(useNow(15_000), Date.now())
  const waitMs = nextChaseAt ? Date.parse(nextChaseAt) - now : 0
  const waiting = waitMs > 0
  return (
    <View className='mq-chase' data-testid='chase'>
      <Button
        size='large'
        block
        fill='outline'
        type='primary'
        disabled={waiting}
        loading={busy}
        onClick={() => {
          if (!waiting && !busy) onChase()
        }}
        data-testid='chase-button'
      >
        {busy ? '正在催办…' : '催一催'}
      </Button>
      {waiting ? (
        <Text className='mq-muted mq-chase__hint' data-testid='chase-wait'>
          {`刚催过，${duration(waitMs)}后可以再催`}
        </Text>
      ) : (
        <Text className='mq-muted mq-chase__hint' data-testid='chase-hint'>
          {`会提醒负责人尽快处理（每${CHASE_COOLDOWN_MINUTES / 60}小时可催一次）`}
        </Text>
      )}
    </View>
  )
}
