/**
 * Notifications: what is told to whom, and the states of a message on its way out.
 */

export const NOTIFICATION_TYPES = [
  // Residents (WeChat subscription messages). A proxy entry's go to the staff member who filed it.
  'accepted',
  'replied',
  'resolved',
  'rejected',
  // The handler asks the reporter for more (请居民补充), or writes to them in the thread: the reporter
  // must act or read, so they are told; followers never see the thread, so they are not.
  'asked',
  'messaged',
  // Staff.
  'assigned',
  'chased',
  'reopened',
  'escalated',
  'warning',
  'overdue',
  'promise_extended',
  // The handler hears from the reporter: an answer to their question, an addition, a withdrawal.
  'resident_answered',
  'resident_added',
  'withdrawn',
] as const
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/** What residents are told (and so may subscribe to in the mini-app). */
export const RESIDENT_NOTIFICATION_TYPES = [
  'accepted',
  'replied',
  'resolved',
  'rejected',
  'asked',
  'messaged',
] as const satisfies readonly NotificationType[]

export const NOTIFICATION_TYPE_LABELS: Record<NotificationType, string> = {
  accepted: '诉求已受理',
  replied: '诉求已答复',
  resolved: '诉求已办结',
  rejected: '诉求不予受理',
  asked: '请您补充',
  messaged: '工作人员给您留言',
  assigned: '新派单',
  chased: '居民催单',
  reopened: '评价不满意，重新办理',
  escalated: '超时升级督办',
  warning: '即将超时',
  overdue: '已超时',
  promise_extended: '承诺时间已延期',
  resident_answered: '居民已补充，继续办理',
  resident_added: '居民补充了说明',
  withdrawn: '居民已撤回诉求',
}

/**
 * `pending` → `sending` (claimed by one worker, under a lease) → `sent`; or back to `pending` with a later
 * attempt (retry with backoff); or `failed` (refused for good, or out of attempts: admins see and retry
 * these); or `skipped` (no channel: no WeChat account bound, no template configured, no unspent consent).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number]

/** A person may hold at most this many unspent one-time consents per template (more add nothing). */
export const CONSENTS_PER_TEMPLATE_MAX = 50
