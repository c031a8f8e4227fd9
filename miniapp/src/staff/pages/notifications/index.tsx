import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { NOTIFICATION_TYPE_LABELS, type ConsentStatus, type NotificationItem } from '@mq/shared'
import { toApiError, type ApiError } from '@/api/client'
import {
  addConsents,
  bindWechat,
  consentStatus,
  markAllNotificationsRead,
  markNotificationRead,
  notifications,
  wechatBinding,
} from '@/api/staff-requests'
import { localDateTime } from '@mq/shared'
import { ErrorNote, StaffFrame } from '../../components/staff-frame'
import { requestUrl } from '../../routes'
import './index.scss'

const PAGE_SIZE = 20
/** WeChat asks about at most three templates at a time. */
const SUBSCRIBE_AT_ONCE = 3

function summary(item: NotificationItem): string {
  const d = item.data
  return [d.number, d.categoryLabel].filter((v): v is string => typeof v === 'string' && v.length > 0).join(' · ')
}

/**
 * WeChat subscription messages for staff (weapp only): a one-time consent per message, asked on a tap
 * (WeChat refuses otherwise), then this WeChat account is bound to the staff account so the server can
 * reach it. Shows nothing where the deployment sends no WeChat messages.
 */
function WechatConsent() {
  const [status, setStatus] = useState<ConsentStatus | null>(null)
  const [bound, setBound] = useState<boolean | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  useEffect(() => {
    Promise.all([consentStatus(), wechatBinding()]).then(
      ([s, b]) => {
        setStatus(s)
        setBound(b.bound)
      },
      () => setStatus(null),
    )
  }, [])

  if (!status?.wechat || status.templates.length === 0) return null
  const ask = [...status.templates].sort((a, b) => a.unspent - b.unspent).slice(0, SUBSCRIBE_AT_ONCE)

  function subscribe(): void {
    // Called straight from the tap, before anything asynchronous.
    Taro.requestSubscribeMessage({ tmplIds: ask.map((t) => t.templateId) } as Parameters<typeof Taro.requestSubscribeMessage>[0])
      .then(async (result) => {
        const answers = result as unknown as Record<string, unknown>
        const accepted = ask.map((t) => t.templateId).filter((id) => answers[id] === 'accept')
        if (!bound) {
          const { code } = await Taro.login()
          setBound((await bindWechat(code)).bound)
        }
        if (accepted.length > 0) setStatus(await addConsents(accepted))
        setMessage(accepted.length > 0 ? `已开启 ${accepted.length} 类提醒` : '未开启提醒，可在需要时再点一次')
      })
      .catch((error: unknown) => setMessage(toApiError(error).message || '未能开启提醒'))
  }

  return (
    <View className='st-card' data-testid='wechat-consent'>
      <Text className='st-h2'>微信消息提醒</Text>
      <Text className='st-muted'>新派单、即将超时、催单等消息可以发到您的微信。微信规定每次同意只能收到一条，请常来点一下。</Text>
      {ask.map((t) => (
        <Text key={t.templateId} className='st-hint'>{`${NOTIFICATION_TYPE_LABELS[t.type]}：还可收到 ${t.unspent} 条`}</Text>
      ))}
      {message ? <Text className='st-hint'>{message}</Text> : null}
      <Button className='st-btn st-btn--primary' onClick={subscribe}>
        开启微信消息提醒
      </Button>
    </View>
  )
}

function NotificationList() {
  const [items, setItems] = useState<NotificationItem[] | null>(null)
  const [unread, setUnread] = useState(0)
  const [total, setTotal] = useState(0)
  const [page, setPage] = useState(1)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async (which: number) => {
    setBusy(true)
    try {
      const result = await notifications(which, PAGE_SIZE)
      setItems((shown) => (which > 1 && shown ? [...shown, ...result.items] : result.items))
      setUnread(result.unread)
      setTotal(result.total)
      setPage(which)
      setError(null)
    } catch (err) {
      setError(toApiError(err))
    } finally {
      setBusy(false)
    }
  }, [])

  useEffect(() => {
    void load(1)
  }, [load])

  usePullDownRefresh(() => {
    void load(1).finally(() => void Taro.stopPullDownRefresh())
  })

  async function open(item: NotificationItem): Promise<void> {
    if (!item.readAt) {
      const readAt = new Date().toISOString()
      setItems((list) => list?.map((n) => (n.id === item.id ? { ...n, readAt } : n)) ?? null)
      markNotificationRead(item.id).then(setUnread, () => undefined)
    }
    if (item.ticketId) await Taro.navigateTo({ url: requestUrl(item.ticketId) })
  }

  async function readAll(): Promise<void> {
    try {
      setUnread(await markAllNotificationsRead())
      const readAt = new Date().toISOString()
      setItems((list) => list?.map((n) => ({ ...n, readAt: n.readAt ?? readAt })) ?? null)
    } catch (err) {
      setError(toApiError(err))
    }
  }

  return (
    <View>
      {process.env.TARO_ENV === 'weapp' ? <WechatConsent /> : null}
      <View className='notes__head'>
        <Text className='st-muted' data-testid='notifications-unread'>
          {unread > 0 ? `${unread} 条未读` : '没有未读通知'}
        </Text>
        {unread > 0 ? (
          <Button className='st-btn st-btn--small notes__all' onClick={() => void readAll()} data-testid='notifications-read-all'>
            全部标为已读
          </Button>
        ) : null}
      </View>
      {error ? <ErrorNote message={error.message} requestId={error.requestId} onRetry={() => void load(1)} /> : null}
      <View data-testid='notifications'>
        {items === null ? (
          <Text className='st-empty'>正在加载…</Text>
        ) : items.length === 0 ? (
          <Text className='st-empty'>暂无通知</Text>
        ) : (
          items.map((item) => (
            <View
              key={item.id}
              className={`st-card notes__item${item.readAt ? '' : ' notes__item--unread'}`}
              onClick={() => void open(item)}
              data-testid='notification'
              data-read={item.readAt ? 'true' : 'false'}
            >
              <View className='notes__top'>
                {item.readAt ? null : <Text className='notes__dot' aria-label='未读' />}
                <Text className='notes__title'>{item.title || NOTIFICATION_TYPE_LABELS[item.type]}</Text>
                <Text className='notes__time'>{localDateTime(item.createdAt)}</Text>
              </View>
              {summary(item) ? <Text className='st-text'>{summary(item)}</Text> : null}
            </View>
          ))
        )}
        {items && items.length < total ? (
          <Button className='st-btn' disabled={busy || undefined} onClick={() => void load(page + 1)}>
            加载更多
          </Button>
        ) : null}
      </View>
    </View>
  )
}

/** In-app notifications: new assignments, warnings, chases, reopenings; tap to open the request. */
export function StaffNotificationsPage() {
  return (
    <StaffFrame title='通知' testId='staff-notifications'>
      {() => <NotificationList />}
    </StaffFrame>
  )
}

export default StaffNotificationsPage
