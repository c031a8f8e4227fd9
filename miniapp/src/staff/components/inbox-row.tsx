import { Text, View } from '@tarojs/components'
import {
  CHANNEL_LABELS,
  PROXY_CHANNELS,
  SEVERITY_LABELS,
  URGENT_LABEL,
  stateLabel,
  categoryOf,
  type Channel,
  type TicketPublicView,
  type TicketRelation,
} from '@mq/shared'
import { Tag } from '@/ui/parts'
import { dueOf, dueText, escalationLevel, escalationText } from '../due'

const RELATION_LABELS: Partial<Record<TicketRelation, string>> = {
  co_handler: '联办',
  supervisor: '辖区',
  coordinator: '统筹',
}

function isProxy(channel: Channel): boolean {
  return (PROXY_CHANNELS as readonly Channel[]).includes(channel)
}

/**
 * One request in the inbox: what and where, the deadline owed now as a countdown (red when overdue),
 * chases, the escalation level and 新 when it came in since the staff member last looked. The whole card
 * opens the handling screen; while selecting (多选, `selected` given) it ticks the card instead.
 */
export function InboxRow({
  item,
  relation,
  now,
  knownLevel,
  onOpen,
  isNew = false,
  selected,
}: {
  item: TicketPublicView
  relation: TicketRelation | null
  now: number
  knownLevel: number | null
  onOpen: (id: string) => void
  isNew?: boolean
  /** Selecting: whether this one is ticked (undefined: not selecting). */
  selected?: boolean
}) {
  const due = dueOf(item, now)
  const level = escalationLevel(item, now, knownLevel)
  const relationLabel = relation ? RELATION_LABELS[relation] : undefined
  return (
    <View
      className={`mq-card inbox-row${selected ? ' inbox-row--selected' : ''}`}
      onClick={() => onOpen(item.id)}
      data-testid='inbox-row'
      data-number={item.number}
      data-new={isNew ? 'true' : 'false'}
    >
      <View className='mq-card__head'>
        {selected !== undefined ? (
          <View
            className={`inbox-row__check${selected ? ' inbox-row__check--on' : ''}`}
            role='checkbox'
            aria-checked={selected}
            data-testid='inbox-row-check'
          >
            <Text>{selected ? '✓' : ''}</Text>
          </View>
        ) : null}
        <Text className='inbox-row__category' data-testid='inbox-row-category'>
          {categoryOf(item.category).label}
        </Text>
        {isNew ? (
          <Tag tone='ok' testId='inbox-row-new'>
            新
          </Tag>
        ) : null}
        {item.urgent ? (
          <Tag tone='danger' testId='inbox-row-urgent'>
            {URGENT_LABEL}
          </Tag>
        ) : null}
        <Tag tone='primary' testId='inbox-row-state' data-state={item.state}>
          {stateLabel(item)}
        </Tag>
      </View>
      <Text className='inbox-row__place' data-testid='inbox-row-place'>
        {`${item.buildingName} ${item.unitName}`}
        <Text className='st-muted inbox-row__compound'>{` · ${item.compoundName}`}</Text>
      </Text>
      <Text
        className={`st-due st-due--${due.kind}`}
        data-testid='inbox-row-due'
        data-overdue={due.kind === 'overdue' ? 'true' : 'false'}
      >
        {dueText(due)}
      </Text>
      <Text className='st-muted inbox-row__desc'>{item.description}</Text>
      <View className='st-row'>
        <Tag tone='plain'>{SEVERITY_LABELS[item.severity]}</Tag>
        {item.chaseCount > 0 ? (
          <Tag tone='warn' outline testId='inbox-row-chases'>{`催单 ${item.chaseCount} 次`}</Tag>
        ) : null}
        {level > 0 ? (
          <Tag tone='danger' testId='inbox-row-escalation'>
            {escalationText(level)}
          </Tag>
        ) : null}
        {isProxy(item.channel) ? <Tag>{`代录 · ${CHANNEL_LABELS[item.channel]}`}</Tag> : null}
        {relationLabel ? <Tag>{relationLabel}</Tag> : null}
        <Text className='st-muted inbox-row__number'>{item.number}</Text>
      </View>
    </View>
  )
}
