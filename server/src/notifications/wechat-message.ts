import {
  CATEGORY_CODES,
  categoryOf,
  DEADLINE_WINDOW_LABELS,
  fullDateTime,
  isRole,
  monthDayTime,
  PAGES,
  pagePath,
  ROLE_LABELS,
  type CategoryCode,
  type DeadlineWindow,
  type NotificationType,
} from '@mq/shared'

/**
 * The data of a subscription message. Every template configured in WECHAT_TEMPLATES must carry these
 * five keywords (choose them when adding the template in the WeChat console, 工单进度提醒-style):
 *   character_string1 request number · thing2 category · phrase3 status · time4 time · thing5 note
 * WeChat's limits: thing ≤ 20 characters, phrase ≤ 5 (Chinese only), character_string ≤ 32.
 */
export interface MessageSource {
  type: NotificationType
  payload: Record<string, unknown>
  createdAt: Date
}

const STATUS: Record<NotificationType, string> = {
  accepted: '已受理',
  replied: '已答复',
  resolved: '已办结',
  rejected: '不予受理',
  asked: '请您补充',
  messaged: '新留言',
  assigned: '新派单',
  chased: '居民催单',
  reopened: '重新办理',
  escalated: '升级督办',
  warning: '即将超时',
  overdue: '已超时',
  promise_extended: '承诺延期',
  resident_answered: '居民已补充',
  resident_added: '居民补充',
  withdrawn: '已撤回',
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)
const str = (value: unknown) => (typeof value === 'string' ? value : null)
const instant = (value: unknown) => {
  const s = str(value)
  const d = s ? new Date(s) : null
  return d && !Number.isNaN(d.getTime()) ? d : null
}

function note(source: MessageSource): string {
  const p = source.payload
  const due = instant(p.dueAt)
  const window = DEADLINE_WINDOW_LABELS[(str(p.deadline) ?? 'resolve') as DeadlineWindow] ?? '办结'
  switch (source.type) {
    case 'accepted': {
      const next = instant(p.nextDueAt)
      return next ? `预计${monthDayTime(next)}前办理` : '工作人员正在处理'
    }
    case 'replied': {
      const promised = instant(p.promisedAt)
      if (!promised) return '已给出办理方案'
      return `${p.extended ? '已延期至' : '承诺'}${monthDayTime(promised)}${p.extended ? '' : '前办结'}`
    }
    case 'resolved':
      return '请在小程序中评价本次服务'
    case 'rejected':
      return str(p.reason) ?? '详情请查看小程序'
    case 'asked':
      // The handler's question itself: the resident can answer from the page the message opens.
      return str(p.question) ?? '请在小程序中补充说明'
    case 'messaged':
      return str(p.text) || '工作人员给您留言，请查看'
    case 'assigned':
      if (p.urgent === true) return p.as === 'supervisor' ? '紧急诉求，请督促30分钟内受理' : '紧急诉求，请30分钟内受理'
      return p.as === 'co_handler' ? '您被添加为联办人' : '请及时受理'
    case 'chased':
      return `已被催办${typeof p.chaseCount === 'number' ? p.chaseCount : ''}次`
    case 'reopened':
      return `居民评价${typeof p.stars === 'number' ? p.stars : ''}星，请重新办理`
    case 'escalated':
      return `已升级至${isRole(p.role) ? ROLE_LABELS[p.role] : '上级'}督办`
    case 'warning':
      return due ? `请于${monthDayTime(due)}前${window}` : `${window}即将超时`
    case 'overdue':
      return `${window}已超时，已上报督办`
    case 'promise_extended': {
      const promised = instant(p.promisedAt)
      return promised ? `承诺办结时间改为${monthDayTime(promised)}` : '承诺时间已调整'
    }
    case 'resident_answered':
      return '居民已回复，计时继续'
    case 'resident_added':
      return '居民补充了说明，请查看'
    case 'withdrawn':
      return '居民已撤回，无需办理'
  }
}

export function subscribeData(source: MessageSource): Record<string, { value: string }> {
  const p = source.payload
  const category = str(p.category)
  const label =
    str(p.categoryLabel) ??
    (category && (CATEGORY_CODES as readonly string[]).includes(category)
      ? categoryOf(category as CategoryCode).label
      : '民情诉求')
  return {
    character_string1: { value: cut(str(p.number) ?? '-', 32) },
    thing2: { value: cut(label, 20) },
    phrase3: { value: source.type === 'assigned' && source.payload.urgent === true ? '紧急派单' : STATUS[source.type] },
    // "2026年3月2日 12:00", as WeChat's time keyword takes it; notes use "3月2日 12:00" to fit 20 characters.
    time4: { value: fullDateTime(source.createdAt) },
    thing5: { value: cut(note(source), 20) },
  }
}

/**
 * The mini-app page a message opens, from the shared page table: a resident's opens their page of the
 * request, a staff member's (a proxy entry's resident messages go to the staff member who filed it)
 * the page where it is handled. Without a request: the resident's list, the staff member's messages.
 */
export function messagePage(recipientKind: 'resident' | 'staff', ticketId: string | null): string {
  if (recipientKind === 'resident') {
    return ticketId ? pagePath(PAGES.resident.detail, { id: ticketId }) : pagePath(PAGES.resident.mine)
  }
  return ticketId ? pagePath(PAGES.staff.request, { id: ticketId }) : pagePath(PAGES.staff.notifications)
}
