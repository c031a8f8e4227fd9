import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { NOTIFICATION_TYPE_LABELS, type AdminNotification, type NotificationStatus } from '@mq/shared'
import { toApiError } from '@/api/client'
import { localDateTime } from '@mq/shared'
import { adminNotifications, retryNotification } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
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

function NotificationsConsole() {
  const [status, setStatus] = useState<NotificationStatus>('failed')
  const [items, setItems] = useState<AdminNotification[] | null>(null)
  const [total, setTotal] = useState(0)
  const [page, setPage] = useState(1)
  const [results, setResults] = useState<Record<string, RetryResult>>({})
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async (which: NotificationStatus, pageNo: number) => {
    setBusy('list')
    try {
      const result = await adminNotifications(which, pageNo, PAGE_SIZE)
      setItems((shown) => (pageNo > 1 && shown ? [...shown, ...result.items] : result.items))
      setTotal(result.total)
      setPage(pageNo)
      setError(null)
    } catch (err) {
      setError(toApiError(err).message)
    } finally {
      setBusy(null)
    }
  }, [])

  useEffect(() => {
    setItems(null)
    setResults({})
    void load(status, 1)
  }, [load, status])

  async function retry(item: AdminNotification): Promise<void> {
    setBusy(item.id)
    try {
      const updated = await retryNotification(item.id)
      setItems((shown) => shown?.map((n) => (n.id === updated.id ? updated : n)) ?? null)
      setResults((r) => ({ ...r, [item.id]: { ok: true, status: updated.status } }))
    } catch (err) {
      setResults((r) => ({ ...r, [item.id]: { ok: false, message: toApiError(err).message } }))
    } finally {
      setBusy(null)
    }
  }

  const current = STATUSES.find((s) => s.key === status)!
  return (
    <View data-testid='notifications-admin'>
      <Text className='adm-h1'>通知失败</Text>
      <Text className='adm-lead'>
        发给居民和工作人员的微信通知，多次重试仍未送达的列在这里。查明原因（如对方未绑定微信、未同意接收）后，可以点「重试」重新发送。
      </Text>
      <View className='adm-chips notifications__tabs'>
        {STATUSES.map((s) => (
          <Button
            key={s.key}
            className={`adm-chip${s.key === status ? ' adm-chip--on' : ''}`}
            aria-pressed={s.key === status}
            onClick={() => setStatus(s.key)}
            data-testid={`notifications-status-${s.key}`}
          >
            {s.label}
          </Button>
        ))}
      </View>
      {error ? <Text className='adm-alert adm-alert--error'>{`加载失败：${error}`}</Text> : null}
      {items ? (
        <>
          <Text className='adm-muted notifications__count' data-testid='notifications-count'>{`共 ${total} 条`}</Text>
          <DataTable
            testId='notifications-table'
            empty={current.empty}
            columns={[
              { key: 'at', title: '时间', width: '150px' },
              { key: 'type', title: '通知', width: '1.1fr' },
              { key: 'to', title: '接收人', width: '80px' },
              { key: 'ticket', title: '诉求编号', width: '100px' },
              { key: 'attempts', title: '尝试', width: '56px' },
              { key: 'error', title: '原因', width: '1.4fr', fullOnPhone: true },
              { key: 'retry', title: '操作', width: '150px', fullOnPhone: true },
            ]}
            rows={items.map((n) => {
              const result = results[n.id]
              const retriable = n.status === 'failed' || n.status === 'skipped'
              return {
                key: n.id,
                cells: {
                  at: <Text>{localDateTime(n.createdAt)}</Text>,
                  type: <Text className='notifications__type'>{NOTIFICATION_TYPE_LABELS[n.type] ?? n.type}</Text>,
                  to: <Text>{RECIPIENT_LABELS[n.recipientKind]}</Text>,
                  ticket: <Text className='adm-mono'>{n.ticketNumber ?? '—'}</Text>,
                  attempts: <Text>{`${n.attempts} 次`}</Text>,
                  error: <Text className='notifications__error'>{n.lastError ?? '—'}</Text>,
                  retry: (
                    <View className='notifications__retry' data-testid='notification-retry-cell' data-status={n.status}>
                      {retriable ? (
                        <Button
                          className='adm-btn adm-btn--small'
                          disabled={busy !== null || undefined}
                          onClick={() => void retry(n)}
                          data-testid='notification-retry'
                        >
                          {busy === n.id ? '正在重试…' : '重试'}
                        </Button>
                      ) : (
                        <Text className='adm-badge adm-badge--ok'>{STATUS_LABELS[n.status]}</Text>
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
          {items.length < total ? (
            <View className='notifications__more'>
              <Button className='adm-btn' disabled={busy !== null || undefined} onClick={() => void load(status, page + 1)}>
                {busy === 'list' ? '正在加载…' : `加载更多（还有 ${total - items.length} 条）`}
              </Button>
            </View>
          ) : null}
        </>
      ) : error ? null : (
        <Text className='adm-empty'>正在加载…</Text>
      )}
    </View>
  )
}

export function NotificationsAdminPage() {
  return <AdminShell active='notifications'>{() => <NotificationsConsole />}</AdminShell>
}

export default NotificationsAdminPage
