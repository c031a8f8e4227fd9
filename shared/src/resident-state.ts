import type { TicketState } from './tickets'

/**
 * What a request's state means to a resident, in their words, and what they can do next. The staff
 * pages keep the handlers' words (stateLabel); the resident's badge, list and detail page read this.
 */
export const RESIDENT_STATE_KEYS = [
  'to_accept',
  'in_progress',
  'reopened',
  'waiting_you',
  'waiting_reporter',
  'to_rate',
  'resolved',
  'closed',
  'rejected',
  'merged',
  'withdrawn',
] as const
export type ResidentStateKey = (typeof RESIDENT_STATE_KEYS)[number]

export interface ResidentState {
  key: ResidentStateKey
  /** The badge's words: 待受理, 处理中, 等您补充, 重新办理, 已办结待评价, 已销号, 已撤回… */
  label: string
  /** One sentence: what happens now and what the resident can do (null: nothing more to do). */
  next: string | null
}

/**
 * `relation`: the reporter reads 等您补充 and 待评价 as theirs to do; anyone else (a follower, a
 * neighbour on the scan page) reads what is happening without being asked to act.
 */
export function residentState(
  ticket: { state: TicketState; reopened?: boolean },
  relation: 'reporter' | 'other' = 'reporter',
): ResidentState {
  const mine = relation === 'reporter'
  switch (ticket.state) {
    case 'submitted':
      return {
        key: 'to_accept',
        label: '待受理',
        next: mine ? '正在等工作人员受理；受理前您可以撤回。' : '正在等工作人员受理。',
      }
    case 'accepted':
    case 'replied':
      return {
        key: ticket.reopened ? 'reopened' : 'in_progress',
        label: ticket.reopened ? '重新办理' : '处理中',
        next: mine ? '有新情况可以补充说明；超过时限还没办好可以催一催。' : '超过时限还没办好可以催一催。',
      }
    case 'waiting_resident':
      return mine
        ? { key: 'waiting_you', label: '等您补充', next: '请回答工作人员的问题，您回复后马上继续办理。' }
        : { key: 'waiting_reporter', label: '等待补充', next: '工作人员在等反映人补充情况。' }
    case 'resolved':
      return mine
        ? { key: 'to_rate', label: '已办结待评价', next: '请看看办理结果，给这次服务打个分。' }
        : { key: 'resolved', label: '已办结', next: null }
    case 'closed':
      return { key: 'closed', label: '已销号', next: null }
    case 'rejected':
      return { key: 'rejected', label: '不予受理', next: '下面写了不予受理的原因。' }
    case 'merged':
      return { key: 'merged', label: '已合并', next: '和另一件同样的问题一起办理，请看合并后的那件。' }
    case 'withdrawn':
      return { key: 'withdrawn', label: '已撤回', next: mine ? '您已撤回，这件事不再办理。' : null }
  }
}
