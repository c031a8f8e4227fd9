import { Text } from '@tarojs/components'
import { stateLabel, type TicketState } from '@mq/shared'

/**
 * The state as a coloured pill: 待受理, 已受理, 已答复, 待居民补充, 已办结, 已销号, 不予受理, 已合并, and
 * 重新办理 for a request a low rating sent back (`reopened`).
 */
export function StateBadge({ state, reopened }: { state: TicketState; reopened?: boolean }) {
  const again = stateLabel({ state, reopened }) !== stateLabel({ state })
  return (
    <Text
      className={`mq-state mq-state--${state}${again ? ' mq-state--reopened' : ''}`}
      data-testid='state-badge'
      data-state={state}
      data-reopened={again ? 'true' : 'false'}
    >
      {stateLabel({ state, reopened })}
    </Text>
  )
}
