import { Cell, CellGroup } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  ROLE_LABELS,
  SEVERITY_LABELS,
  TICKET_EVENT_LABELS,
  isRole,
  type Severity,
  type TicketEventView,
} from '@mq/shared'
import { categoryLabel } from './category'
import { friendlyTime } from './due'

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null
}

function role(value: unknown): string | null {
  return typeof value === 'string' && isRole(value) ? ROLE_LABELS[value] : null
}

/** What an entry says beyond its label, from the data the server recorded with it. */
export function eventDetail(event: TicketEventView, now: number): string | null {
  const d = event.data
  switch (event.type) {
    case 'filed':
      return typeof d.photos === 'number' && d.photos > 0 ? `附照片 ${d.photos} 张` : null
    case 'routed': {
      const to = role(d.role)
      return to ? `由${to}负责办理` : str(d.reason)
    }
    case 'accepted': {
      const parts: string[] = []
      if (typeof d.category === 'string') parts.push(`类别调整为「${categoryLabel(d.category)}」`)
      if (d.severity === 'simple' || d.severity === 'complex') parts.push(`定为${SEVERITY_LABELS[d.severity as Severity]}`)
      return parts.length ? parts.join('，') : null
    }
    case 'replied': {
      const when = str(d.promisedAt)
      const plan = str(d.plan)
      return [plan, when ? `承诺 ${friendlyTime(when, now)} 前办好` : null].filter(Boolean).join('\n') || null
    }
    case 'promise_extended': {
      const to = str(d.to)
      return [to ? `新的承诺时间：${friendlyTime(to, now)}` : null, str(d.reason)].filter(Boolean).join('\n') || null
    }
    case 'resolved':
      return str(d.note)
    case 'rejected':
    case 'withdrawn':
      return str(d.reason)
    case 'message':
      return str(d.text)
    case 'transferred': {
      const to = role(d.toRole)
      return [to ? `转给${to}${str(d.toName) ? ` ${String(d.toName)}` : ''}` : null, str(d.reason)]
        .filter(Boolean)
        .join('：') || null
    }
    case 'waiting':
      return str(d.question)
    case 'resumed':
      return str(d.note)
    case 'merged':
      return str(d.intoNumber) ? `与 ${String(d.intoNumber)} 是同一个问题，合并办理` : null
    case 'chased':
      return typeof d.count === 'number' ? `第 ${d.count} 次催办` : null
    case 'escalated': {
      const to = role(d.role)
      return to ? `已提请${to}督办` : null
    }
    case 'meeting_decision': {
      const owner = str(d.ownerLabel)
      const due = str(d.targetDate)
      return [str(d.summary), [owner ? `负责：${owner}` : null, due ? `${due} 前落实` : null].filter(Boolean).join('，') || null]
        .filter(Boolean)
        .join('\n') || null
    }
    case 'meeting_decision_done':
      return [str(d.summary), str(d.note) ? `落实情况：${String(d.note)}` : null].filter(Boolean).join('\n') || null
    case 'rated':
    case 'reopened':
    case 'closed':
      return typeof d.stars === 'number' ? `${'★'.repeat(d.stars)}${'☆'.repeat(Math.max(0, 5 - d.stars))}` : null
    default:
      return null
  }
}

function actorLabel(event: TicketEventView): string {
  if (event.actor.kind === 'staff') {
    return [event.actor.role ? ROLE_LABELS[event.actor.role] : null, event.actor.name].filter(Boolean).join(' ')
  }
  return event.actor.kind === 'resident' ? '居民' : '系统'
}

/**
 * The public timeline as kit cells, newest first (the latest marked): a cell per entry, its label, when
 * and who, and what it said. (Cells rather than the kit's Steps: their style sheet alone would add
 * 12 KB to WeChat's main package.)
 */
export function Timeline({ events, now }: { events: readonly TicketEventView[]; now: number }) {
  const newestFirst = [...events].reverse()
  return (
    <View className='mq-timeline' data-testid='timeline'>
      <CellGroup divider>
        {newestFirst.map((event, i) => {
          const detail = eventDetail(event, now)
          return (
            <Cell
              key={event.id}
              className={i === 0 ? 'mq-timeline__latest' : undefined}
              title={
                <Text className='mq-timeline__title' data-testid='timeline-item'>
                  {TICKET_EVENT_LABELS[event.type]}
                </Text>
              }
              description={
                <>
                  <Text className='mq-timeline__meta'>{`${friendlyTime(event.at, now)} · ${actorLabel(event)}`}</Text>
                  {detail ? <Text className='mq-timeline__detail'>{detail}</Text> : null}
                </>
              }
            />
          )
        })}
      </CellGroup>
    </View>
  )
}
