import { useState } from 'react'
import { Cell } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { NOTIFICATION_TYPE_LABELS, type ConsentStatus, type NotificationItem } from '@mq/shared'
import { toApiError } from '@/api/client'
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
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { ErrorNote } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
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
  const loaded = useResource('wechat-consent', async () => {
    const [s, b] = await Promise.all([consentStatus(), wechatBinding()])
    return { status: s as ConsentStatus, bound: b.bound }
  })
  const [message, setMessage] = useState<string | null>(null)
  const status = loaded.data?.status ?? null
  const bound = loaded.data?.bound ?? null
  const setStatus = (next: ConsentStatus) => loaded.data && loaded.setData({ ...loaded.data, status: next })
  const setBound = (next: boolean) => loaded.data && loaded.setData({ ...loaded.data, bound: next })

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
    <Card title='微信消息提醒' testId='wechat-consent'>
      <Text className='st-muted'>新派单、即将超时、催单等消息可以发到您的微信。微信规定每次同意只能收到一条，请常来点一下。</Text>
      {ask.map((t) => (
        <Text key={t.templateId} className='st-hint'>{`${NOTIFICATION_TYPE_LABELS[t.type]}：还可收到 ${t.unspent} 条`}</Text>
      ))}
      {message ? <Text className='st-hint'>{message}</Text> : null}
      <View className='st-stack'>
        <Button type='primary' fill='solid' block onClick={subscribe}>
          开启微信消息提醒
        </Button>
      </View>
    </Card>
  )
}

interface Listing {
  items: NotificationItem[]
  unread: number
  total: number
  page: number
}

function NotificationList() {
  const list = useResource<Listing>('notifications', async () => ({ ...(await notifications(1, PAGE_SIZE)), page: 1 }))
  const more = useMutation(async (shown: Listing) => {
    const next = await notifications(shown.page + 1, PAGE_SIZE)
    list.setData({ items: [...shown.items, ...next.items], unread: next.unread, total: next.total, page: shown.page + 1 })
  })
  const readAll = useMutation(async (shown: Listing) => {
    const unread = await markAllNotificationsRead()
    const readAt = new Date().toISOString()
    list.setData({ ...shown, unread, items: shown.items.map((n) => ({ ...n, readAt: n.readAt ?? readAt })) })
  })
  const data = list.data
  const unread = data?.unread ?? 0

  function open(shown: Listing, item: NotificationItem): void {
    if (!item.readAt) {
      const readAt = new Date().toISOString()
      const marked = { ...shown, items: shown.items.map((n) => (n.id === item.id ? { ...n, readAt } : n)) }
      list.setData(marked)
      markNotificationRead(item.id).then((left) => list.setData({ ...marked, unread: left }), () => undefined)
    }
    if (item.ticketId) void Taro.navigateTo({ url: requestUrl(item.ticketId) })
  }

  const failure = more.error ?? readAll.error ?? (data && list.error ? list.error : null)
  return (
    <View>
      {process.env.TARO_ENV === 'weapp' ? <WechatConsent /> : null}
      <View className='notes__head'>
        <Text className='st-muted' data-testid='notifications-unread'>
          {unread > 0 ? `${unread} 条未读` : '没有未读通知'}
        </Text>
        {data && unread > 0 ? (
          <Button size='small' disabled={readAll.busy} onClick={() => void readAll.run(data)} data-testid='notifications-read-all'>
            全部标为已读
          </Button>
        ) : null}
      </View>
      {failure ? <ErrorNote message={failure.message} requestId={failure.requestId} onRetry={() => void list.reload()} /> : null}
      <View data-testid='notifications'>
        <Loaded resource={list} isEmpty={(d) => d.items.length === 0} empty={<Nothing title='暂无通知' />}>
          {(shown) => (
            <>
              <Cell.Group className='notes__list'>
                {shown.items.map((item) => (
                  <Cell
                    key={item.id}
                    className={`notes__item${item.readAt ? '' : ' notes__item--unread'}`}
                    clickable
                    onClick={() => open(shown, item)}
                    title={
                      <View className='notes__top' data-testid='notification' data-read={item.readAt ? 'true' : 'false'}>
                        {item.readAt ? null : <Text className='notes__dot' aria-label='未读' />}
                        <Text className='notes__title'>{item.title || NOTIFICATION_TYPE_LABELS[item.type]}</Text>
                        {summary(item) ? <Text className='st-text notes__summary'>{summary(item)}</Text> : null}
                      </View>
                    }
                    description={localDateTime(item.createdAt)}
                  />
                ))}
              </Cell.Group>
              {shown.items.length < shown.total ? (
                <Button block disabled={more.busy} onClick={() => void more.run(shown)}>
                  {more.busy ? '正在加载…' : '加载更多'}
                </Button>
              ) : null}
            </>
          )}
        </Loaded>
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
