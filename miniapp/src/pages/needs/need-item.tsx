import type { ReactNode } from 'react'
import { Tag } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { NEED_STATUS_LABELS, type NeedStatus, type PublicNeed } from '@mq/shared'

/** Each status's colour (white text on it at least 4.5:1). */
const STATUS_COLORS: Record<NeedStatus, string> = {
  collecting: '#9a4b00',
  planned: '#1a5fb4',
  in_progress: '#1a5fb4',
  done: '#1b6e2c',
  not_feasible: '#5f6368',
}

export function NeedStatusTag({ status }: { status: NeedStatus }) {
  return (
    <View className='mq-badge' data-testid='need-status' data-status={status}>
      <Tag round background={STATUS_COLORS[status]} color='#ffffff'>
        {NEED_STATUS_LABELS[status]}
      </Tag>
    </View>
  )
}

/**
 * One need as the public sees it (the needs page, the board): title, status, public text, the reason when
 * not feasible, and how many households support it. `children`: the page's own action (+1).
 */
export function NeedItem({ need, children }: { need: PublicNeed; children?: ReactNode }) {
  return (
    <View className='mq-card need-item' data-testid='need-item' data-need-id={need.id} data-status={need.status}>
      <View className='need-item__head'>
        <Text className='mq-subtitle need-item__title' data-testid='need-title'>{need.title}</Text>
        <NeedStatusTag status={need.status} />
      </View>
      {need.publicText ? <Text className='mq-text'>{need.publicText}</Text> : null}
      {need.status === 'not_feasible' && need.reason ? (
        <Text className='mq-text' data-testid='need-reason'>{`原因：${need.reason}`}</Text>
      ) : null}
      <Text className='mq-muted' data-testid='need-count'>{`${need.supportCount} 户支持`}</Text>
      {children}
    </View>
  )
}
