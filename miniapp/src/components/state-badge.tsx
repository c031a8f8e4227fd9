import { Tag } from '@nutui/nutui-react-taro'
import { View } from '@tarojs/components'
import { residentState, type ResidentStateKey, type TicketState } from '@mq/shared'

/** Each state's colour as residents read it (white text on it at least 4.5:1). */
const STATE_COLORS: Record<ResidentStateKey, string> = {
  to_accept: '#9a4b00',
  in_progress: '#1a5fb4',
  reopened: '#8c1d18',
  waiting_you: '#a13c00',
  waiting_reporter: '#a13c00',
  to_rate: '#1b6e2c',
  resolved: '#1b6e2c',
  closed: '#3c3c3c',
  rejected: '#b3261e',
  merged: '#5f6368',
  withdrawn: '#5f6368',
}

/**
 * The state as a coloured tag in the resident's words (shared residentState): 待受理, 处理中, 等您补充,
 * 重新办理, 已办结待评价, 已销号, 已撤回… `relation`: the reporter is asked to act (等您补充, 待评价);
 * anyone else reads what is happening.
 */
export function StateBadge({
  state,
  reopened,
  relation = 'other',
}: {
  state: TicketState
  reopened?: boolean
  relation?: 'reporter' | 'other'
}) {
  const words = residentState({ state, reopened }, relation)
  return (
    <View
      className='mq-badge'
      data-testid='state-badge'
      data-state={state}
      data-key={words.key}
      data-reopened={words.key === 'reopened' ? 'true' : 'false'}
    >
      <Tag round background={STATE_COLORS[words.key]} color='#ffffff'>
        {words.label}
      </Tag>
    </View>
  )
}
