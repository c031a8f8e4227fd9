import type { ReactNode } from 'react'
import { Cell } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { isOpen, residentState, URGENT_LABEL, type CategoryCode, type PublicRequest, type TicketPublicView } from '@mq/shared'
import { Tag } from '@/ui/parts'
import { CategoryIcon, categoryLabel } from './category'
import { dueInfo, friendlyTime } from './due'
import { DueLine } from './due-line'
import { StateBadge } from './state-badge'

/** One request in a list, as a kit cell: category, state, where, what, when it is due. */
export function RequestCard({
  ticket,
  now,
  tag,
  onOpen,
  children,
  testId,
  relation = 'other',
}: {
  /** One of mine (its description), or one of others' in the public projection (its public text). */
  ticket: TicketPublicView | PublicRequest
  now: number
  /** 我反映的 / 我关注的 */
  tag?: string | null
  onOpen?: () => void
  children?: ReactNode
  testId?: string
  /** The reporter reads what they can do next under the request; anyone else, what is happening. */
  relation?: 'reporter' | 'other'
}) {
  const next = relation === 'reporter' ? residentState(ticket, relation).next : null
  const due = isOpen(ticket.state) ? dueInfo(ticket, now) : null
  return (
    <View className={`mq-request${onOpen ? ' mq-request--link' : ''}`} data-testid={testId ?? 'request-card'} data-id={ticket.id}>
      <Cell className='mq-request__cell'>
        <View className='mq-request__body'>
          <View className='mq-request__main' onClick={onOpen}>
            <View className='mq-request__head'>
              <CategoryIcon code={ticket.category as CategoryCode} small />
              <View className='mq-request__heading'>
                <Text className='mq-subtitle mq-request__category'>{categoryLabel(ticket.category)}</Text>
                <Text className='mq-muted mq-request__meta'>{`${ticket.number} · ${friendlyTime(ticket.createdAt, now)}`}</Text>
              </View>
              {'urgent' in ticket && ticket.urgent ? (
                <Tag tone='danger' testId='request-urgent'>
                  {URGENT_LABEL}
                </Tag>
              ) : null}
              <StateBadge state={ticket.state} reopened={ticket.reopened} relation={relation} />
            </View>
            <Text className='mq-text mq-request__desc'>{'publicText' in ticket ? ticket.publicText : ticket.description}</Text>
            <Text className='mq-muted'>
              {[`${ticket.buildingName} ${ticket.unitName}`, tag, ticket.followerCount > 0 ? `${ticket.followerCount} 人也遇到了` : null]
                .filter(Boolean)
                .join(' · ')}
            </Text>
            {due ? <DueLine due={due} testId='request-due' /> : null}
            {next ? (
              <Text className='mq-text mq-request__next' data-testid='request-next'>
                {next}
              </Text>
            ) : null}
            {onOpen ? <Text className='mq-request__more'>查看详情 ›</Text> : null}
          </View>
          {children}
        </View>
      </Cell>
    </View>
  )
}
