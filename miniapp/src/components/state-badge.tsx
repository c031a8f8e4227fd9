import { Tag } from '@nutui/nutui-react-taro'
import { View } from '@tarojs/components'
import { stateLabel, type TicketState } from '@mq/shared'

/** Each state's colour (white text on it at least 4.5:1); 重新办理 is the reopened one's. */
const STATE_COLORS: Record<TicketState | 'reopened', string> = {
  submitted: '#9a4b00',
  accepted: '#1a5fb4',
  replied: '#4527a0',
  waiting_resident: '#a13c00',
  resolved: '#1b6e2c',
  closed: '#3c3c3c',
  rejected: '#b3261e',
  merged: '#5f6368',
  reopened: '#8c1d18',
}

/**
 * The state as a coloured tag: 待受理, 已受理, 已答复, 待居民补充, 已办结, 已销号, 不予受理, 已合并, and
 * 重新办理 for a request a low rating sent back (`reopened`).
 */
export function StateBadge({ state, reopened }: { state: TicketState; reopened?: boolean }) {
  const again = stateLabel({ state, reopened }) !== stateLabel({ state })
  return (
    <View className='mq-badge' data-testid='state-badge' data-state={state} data-reopened={again ? 'true' : 'false'}>
      <Tag round background={STATE_COLORS[again ? 'reopened' : state]} color='#ffffff'>
        {stateLabel({ state, reopened })}
      </Tag>
    </View>
  )
}
