import { Step, Steps } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  CHANNEL_LABELS,
  REPORTER_EVENT_TYPES,
  ROLE_LABELS,
  SEVERITY_LABELS,
  TICKET_EVENT_LABELS,
  isCategoryCode,
  categoryOf,
  isRole,
  type Channel,
  type TicketEventView,
} from '@mq/shared'
import { localDateTime } from '@mq/shared'
import { Tag } from '@/ui/parts'
import { duration } from '../due'

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

function roleLabel(value: unknown): string | null {
  return isRole(value) ? ROLE_LABELS[value] : null
}

function categoryLabel(value: unknown): string | null {
  return isCategoryCode(value) ? categoryOf(value).label : null
}

function change(value: unknown): { from: unknown; to: unknown } | null {
  return typeof value === 'object' && value !== null && 'to' in value ? (value as { from: unknown; to: unknown }) : null
}

/** What an entry says beyond its title, from its `data` (the server's journal). */
export function eventDetails(event: TicketEventView): string[] {
  const d = event.data
  const lines: string[] = []
  const add = (line: string | null | false) => {
    if (line) lines.push(line)
  }
  switch (event.type) {
    case 'filed':
      add(typeof d.channel === 'string' && d.channel in CHANNEL_LABELS && `渠道：${CHANNEL_LABELS[d.channel as Channel]}`)
      add(typeof d.photos === 'number' && d.photos > 0 && `附照片 ${d.photos} 张`)
      break
    case 'routed':
      add(roleLabel(d.role) && `派给：${roleLabel(d.role)}`)
      add(str(d.reason))
      break
    case 'accepted': {
      const category = change(d.category)
      const severity = change(d.severity)
      add(category && `类别改为：${categoryLabel(category.to) ?? ''}`)
      add(severity && typeof severity.to === 'string' && `改为：${SEVERITY_LABELS[severity.to as 'simple'] ?? severity.to}`)
      break
    }
    case 'replied':
      add(str(d.plan) && `办理方案：${str(d.plan)}`)
      add(str(d.promisedAt) && `承诺办结：${localDateTime(str(d.promisedAt)!)} 前`)
      break
    case 'resolved':
      add(str(d.note) && `办结说明：${str(d.note)}`)
      add(typeof d.photos === 'number' && d.photos > 0 && `附照片 ${d.photos} 张`)
      break
    case 'rejected':
      add(str(d.reason) && `理由：${str(d.reason)}`)
      break
    case 'public_summary_edited':
      for (const [key, label] of [
        ['commitment', '公示承诺'],
        ['resolution', '公示办理结果'],
      ] as const) {
        const edit = d[key] as { before?: unknown; after?: unknown } | undefined
        if (!edit || typeof edit !== 'object') continue
        add(`${label}原为：${str(edit.before) ?? '（无）'}`)
        add(`${label}改为：${str(edit.after) ?? '（恢复原文）'}`)
      }
      break
    case 'transferred':
      add(`转给：${roleLabel(d.toRole) ?? ''} ${str(d.toName) ?? ''}`.trim())
      add(str(d.reason) && `理由：${str(d.reason)}`)
      break
    case 'co_handler_added':
    case 'co_handler_removed':
      add(`${roleLabel(d.role) ?? ''} ${str(d.name) ?? ''}`.trim())
      break
    case 'waiting':
      add(str(d.question) && `需要补充：${str(d.question)}`)
      break
    case 'resumed':
      add(str(d.note))
      add(typeof d.pausedMinutes === 'number' && `暂停了 ${duration(d.pausedMinutes * 60_000)}`)
      break
    case 'merged':
      add(str(d.intoNumber) && `合并到 ${str(d.intoNumber)}`)
      break
    case 'merged_from':
      add(str(d.fromNumber) && `${str(d.fromNumber)} 合并到本诉求`)
      break
    case 'noted':
      add(str(d.text))
      break
    case 'message':
      add(d.kind === 'answer' ? '居民回复了补充的问题' : d.kind === 'addition' ? '居民补充说明' : '给居民的留言')
      add(str(d.text))
      add(Array.isArray(d.photoIds) && d.photoIds.length > 0 && `附照片 ${d.photoIds.length} 张`)
      break
    case 'withdrawn':
      add(str(d.reason) && `撤回原因：${str(d.reason)}`)
      break
    case 'chased':
      add(typeof d.count === 'number' && `第 ${d.count} 次催单${d.overdue === true ? '（已超时）' : ''}`)
      break
    case 'escalated':
      add(typeof d.level === 'number' && `升至第 ${d.level} 级：${roleLabel(d.role) ?? ''}`)
      add(d.cause === 'chase' && '因超时后催单')
      break
    case 'promise_extended':
      add(str(d.promisedAt) && `新的承诺办结时间：${localDateTime(str(d.promisedAt)!)}`)
      add(str(d.reason) && `理由：${str(d.reason)}`)
      break
    case 'meeting_decision':
      add(str(d.meetingTitle) && `会议：${str(d.meetingTitle)}`)
      add(str(d.summary))
      add(str(d.ownerLabel) && `负责：${str(d.ownerLabel)}，完成时限：${str(d.targetDate) ?? ''}`)
      break
    case 'meeting_decision_done':
      add(str(d.summary))
      add(str(d.note) && `落实情况：${str(d.note)}`)
      break
    case 'rated':
    case 'reopened':
    case 'closed':
      add(typeof d.stars === 'number' && `${d.stars} 星${d.via === 'callback' ? '（电话回访）' : ''}`)
      break
    default:
      break
  }
  return lines
}

export function actorOf(event: TicketEventView): string {
  switch (event.actor.kind) {
    case 'resident':
      return '居民'
    case 'system':
      return '系统'
    case 'staff':
      return [event.actor.role ? ROLE_LABELS[event.actor.role] : null, event.actor.name].filter(Boolean).join(' ')
  }
}

/**
 * The full timeline as the kit's vertical Steps, oldest first, every step done; internal entries marked:
 * staff see everything that happened.
 */
export function Timeline({ events }: { events: readonly TicketEventView[] }) {
  // The thread and a withdrawal's reason are not public, but the reporter reads them: not 内部.
  const internal = (event: TicketEventView) => !event.public && !REPORTER_EVENT_TYPES.includes(event.type)
  return (
    <View className='timeline' data-testid='timeline'>
      <Steps direction='vertical' type='dot' value={events.length}>
        {events.map((event, i) => (
          <Step
            key={event.id}
            value={i + 1}
            className={internal(event) ? 'timeline__item--internal' : undefined}
            // The kit's Step takes no test id: the entry is one block in its title.
            title={
              <View data-testid='timeline-item' data-type={event.type}>
                <View className='st-row'>
                  <Text className='timeline__title'>{TICKET_EVENT_LABELS[event.type]}</Text>
                  {internal(event) ? <Tag tone='warn' outline>内部</Tag> : null}
                </View>
                <Text className='st-muted'>{`${localDateTime(event.at)} · ${actorOf(event)}`}</Text>
                {eventDetails(event).map((line, n) => (
                  <Text key={n} className='st-text timeline__line'>
                    {line}
                  </Text>
                ))}
              </View>
            }
          />
        ))}
      </Steps>
    </View>
  )
}
