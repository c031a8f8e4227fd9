import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { NOTIFICATION_TYPE_LABELS, localDateTime, type AdminNotification, type NotificationStatus } from '@mq/shared'
import { toApiError } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Choices, Notice, Tag } from '@/ui/parts'
import { Loaded, failureText } from '@/ui/states'
import { adminNotifications, retryNotification } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
import { Lead, PageTitle } from '../../components/ui'
import './index.scss'

/** The two kinds of message that did not arrive and can be sent again. */
const STATUSES: { key: NotificationStatus; label: string; empty: string }[] = [
  { key: 'failed', label: '发送失败', empty: '没有发送失败的通知。' },
  { key: 'skipped', label: '未发送', empty: '没有因无法送达而未发送的通知。' },
]

const STATUS_LABELS: Record<NotificationStatus, string> = {
  pending: '等待发送',
  sending: '正在发送',
  sent: '已发送',
  failed: '发送失败',
  skipped: '未发送',
}

const RECIPIENT_LABELS = { resident: '居民', staff: '工作人员' } as const

const PAGE_SIZE = 50

/** What happened to one row's retry, shown on that row. */
type RetryResult = { ok: true; status: NotificationStatus } | { ok: false; message: string }

interface Shown {
  items: AdminNotification[]
  total: number
  page: number
}

function NotificationsConsole() {
  const [status, setStatus] = useState<NotificationStatus>('failed')
  const [results, setResults] = useState<Record<string, RetryResult>>({})
  const [retrying, setRetrying] = useState<string | null>(null)
  const list = useResource<Shown>(`admin-notifications:${status}`, async () => {
    const first = await adminNotifications(status, 1, PAGE_SIZE)
    return { items: first.items, total: first.total, page: 1 }
  })
  const more = useMutation((shown: Shown) => adminNotifications(status, shown.page + 1, PAGE_SIZE))
  // Each row shows its own retry's outcome, so the failure is kept as that row's answer.
  const retry = useMutation(async (item: AdminNotification): Promise<{ updated: AdminNotification } | { message: string }> => {
    try {
      return { updated: await retryNotification(item.id) }
    } catch (thrown) {
      return { message: toApiError(thrown).message }
    }
  })

  async function loadMore(shown: Shown): Promise<void> {
    const next = await more.run(shown)
    if (next) list.setData({ items: [...shown.items, ...next.items], total: next.total, page: shown.page + 1 })
  }

  async function retryOne(shown: Shown, item: AdminNotification): Promise<void> {
    setRetrying(item.id)
    const outcome = await retry.run(item)
    setRetrying(null)
    if (!outcome) return
    if ('updated' in outcome) {
      const { updated } = outcome
      list.setData({ ...shown, items: shown.items.map((n) => (n.id === updated.id ? updated : n)) })
      setResults((r) => ({ ...r, [item.id]: { ok: true, status: updated.status } }))
    } else {
      setResults((r) => ({ ...r, [item.id]: { ok: false, message: outcome.message } }))
    }
  }

  const current = STATUSES.find((s) => s.key === status)!
  return (
    <View data-testid='notifications-admin'>
      <PageTitle>通知失败</PageTitle>
      <Lead>
        发给居民和工作人员的微信通知，多次重试仍未送达的列在这里。查明原因（如对方未绑定微信、未同意接收）后，可以点「重试」重新发送。
      </Lead>
      <Choices
        small
        choices={STATUSES.map((s) => ({ value: s.key, label: s.label, testId: `notifications-status-${s.key}` }))}
        value={status}
        onPick={(key) => {
          setResults({})
          setStatus(key)
        }}
      />
      <Loaded resource={list}>
        {(shown) => (
          <>
            <Text className='mq-muted admin-count' data-testid='notifications-count'>{`共 ${shown.total} 条`}</Text>
            <DataTable
              testId='notifications-table'
              empty={current.empty}
              columns={[
                { key: 'at', title: '时间' },
                { key: 'type', title: '通知' },
                { key: 'to', title: '接收人' },
                { key: 'ticket', title: '诉求编号' },
                { key: 'attempts', title: '尝试' },
                { key: 'error', title: '原因', fullOnPhone: true },
                { key: 'retry', title: '操作', fullOnPhone: true },
              ]}
              rows={shown.items.map((n) => {
                const result = results[n.id]
                const retriable = n.status === 'failed' || n.status === 'skipped'
                return {
                  key: n.id,
                  cells: {
                    at: <Text>{localDateTime(n.createdAt)}</Text>,
                    type: <Text className='admin-strong'>{NOTIFICATION_TYPE_LABELS[n.type] ?? n.type}</Text>,
                    to: <Text>{RECIPIENT_LABELS[n.recipientKind]}</Text>,
                    ticket: <Text className='admin-mono'>{n.ticketNumber ?? '—'}</Text>,
                    attempts: <Text>{`${n.attempts} 次`}</Text>,
                    error: <Text className='mq-muted'>{n.lastError ?? '—'}</Text>,
                    retry: (
                      <View className='admin-inline' data-testid='notification-retry-cell' data-status={n.status}>
                        {retriable ? (
                          <Button
                            size='small'
                            loading={retrying === n.id}
                            disabled={retrying !== null || more.busy}
                            onClick={() => void retryOne(shown, n)}
                            data-testid='notification-retry'
                          >
                            {retrying === n.id ? '正在重试…' : '重试'}
                          </Button>
                        ) : (
                          <Tag tone='ok'>{STATUS_LABELS[n.status]}</Tag>
                        )}
                        {result ? (
                          <Text
                            className={`notifications__result notifications__result--${result.ok ? 'ok' : 'error'}`}
                            data-testid='notification-retry-result'
                          >
                            {result.ok ? `已重新排队（${STATUS_LABELS[result.status]}）` : `重试失败：${result.message}`}
                          </Text>
                        ) : null}
                      </View>
                    ),
                  },
                }
              })}
            />
            {more.error ? <Notice tone='error'>{`加载失败：${failureText(more.error)}`}</Notice> : null}
            {shown.items.length < shown.total ? (
              <View className='admin-more'>
                <Button loading={more.busy} disabled={more.busy || retrying !== null} onClick={() => void loadMore(shown)}>
                  {more.busy ? '正在加载…' : `加载更多（还有 ${shown.total - shown.items.length} 条）`}
                </Button>
              </View>
            ) : null}
          </>
        )}
      </Loaded>
    </View>
  )
}

export function NotificationsAdminPage() {
  return <AdminShell active='notifications'>{() => <NotificationsConsole />}</AdminShell>
}

export default NotificationsAdminPage
