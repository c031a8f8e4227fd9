import { Text } from '@tarojs/components'
import { TICKET_STATE_LABELS, type TicketState } from '@mq/shared'

/** The state as a coloured pill: 待受理, 已受理, 已答复, 待居民补充, 已办结, 已销号, 不予受理, 已合并. */
export function StateBadge({ state }: { state: TicketState }) {
  return (
    <Text className={`mq-state mq-state--${state}`} data-testid='state-badge' data-state={state}>
      {TICKET_STATE_LABELS[state]}
    </Text>
  )
}
