import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { INBOX_FILTERS, type EscalationItem, type InboxFilter, type TicketListItem } from '@mq/shared'
import { ADMIN_HOME_PAGE, STAFF_LOGIN_PAGE, isAdmin, logout, membershipLabels, type StaffMe } from '@/api/auth'
import { toApiError, type ApiError } from '@/api/client'
import { escalations, inbox, inboxCounts, unreadCount } from '@/api/staff-requests'
import { mayDo } from '../../actions'
import { InboxRow } from '../../components/inbox-row'
import { ErrorNote, StaffFrame } from '../../components/staff-frame'
import { useNow } from '../../components/use-now'
import { METRICS_PAGE, NOTIFICATIONS_PAGE, PROXY_PAGE, requestUrl } from '../../routes'
import './index.scss'

/** The supervisors' extra tab: escalated requests of their places (GET /api/escalations). */
type Tab = InboxFilter | 'escalated'

const TAB_LABELS: Record<Tab, string> = {
  to_accept: '待受理',
  due_today: '今日到期',
  overdue: '已超时',
  waiting: '等待居民',
  all: '全部',
  escalated: '升级督办',
}

const EMPTY: Record<Tab, string> = {
  to_accept: '没有待受理的诉求',
  due_today: '今天没有到期的诉求',
  overdue: '没有超时的诉求',
  waiting: '没有等待居民补充的诉求',
  all: '手上没有未办结的诉求',
  escalated: '辖区内没有升级督办的诉求',
}

const PAGE_SIZE = 20
const IS_H5 = process.env.TARO_ENV === 'h5'

function openRequest(id: string): void {
  void Taro.navigateTo({ url: requestUrl(id) })
}

async function signOut(): Promise<void> {
  await logout('staff')
  await Taro.reLaunch({ url: STAFF_LOGIN_PAGE })
}

interface Listing {
  tab: Tab
  items: (TicketListItem | EscalationItem)[]
  total: number
  page: number
}

function Inbox({ me, onUnread }: { me: StaffMe; onUnread: (n: number) => void }) {
  const supervises = mayDo(me, 'supervise_tickets')
  const tabs: Tab[] = supervises ? [...INBOX_FILTERS, 'escalated'] : [...INBOX_FILTERS]
  // Supervisors who do not handle requests themselves start where their attention is owed.
  const [tab, setTab] = useState<Tab>(() => (supervises && !mayDo(me, 'handle_tickets') ? 'overdue' : 'to_accept'))
  const [listing, setListing] = useState<Listing | null>(null)
  const [counts, setCounts] = useState<Partial<Record<Tab, number>>>({})
  const [levels, setLevels] = useState<Map<string, number>>(new Map())
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const now = useNow(30_000)
  // The latest tab asked for: an answer for a tab the user already left is dropped.
  const wanted = useRef<Tab>(tab)

  const loadList = useCallback(async (which: Tab, page: number) => {
    if (which === 'escalated') {
      const result = await escalations(page, PAGE_SIZE)
      return { items: result.items, total: result.total }
    }
    const result = await inbox(which, page, PAGE_SIZE)
    return { items: result.items, total: result.total }
  }, [])

  const refresh = useCallback(async () => {
    const which = wanted.current
    setBusy(true)
    try {
      const [list, tabCounts, escalated, unread] = await Promise.all([
        loadList(which, 1),
        inboxCounts(),
        supervises ? escalations(1, 50) : Promise.resolve(null),
        unreadCount().catch(() => null),
      ])
      if (wanted.current !== which) return
      setListing({ tab: which, items: list.items, total: list.total, page: 1 })
      setCounts({ ...tabCounts, ...(escalated ? { escalated: escalated.total } : {}) })
      if (escalated) setLevels(new Map(escalated.items.map((e) => [e.id, e.escalation.level])))
      if (unread !== null) onUnread(unread)
      setError(null)
    } catch (err) {
      setError(toApiError(err))
    } finally {
      setBusy(false)
    }
  }, [loadList, onUnread, supervises])

  async function more(): Promise<void> {
    if (!listing) return
    setBusy(true)
    try {
      const next = await loadList(listing.tab, listing.page + 1)
      setListing({ ...listing, items: [...listing.items, ...next.items], total: next.total, page: listing.page + 1 })
    } catch (err) {
      setError(toApiError(err))
    } finally {
      setBusy(false)
    }
  }

  useEffect(() => {
    wanted.current = tab
    void refresh()
  }, [tab, refresh])

  // Back from the handling screen: what was done there shows at once.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void refresh()
    shown.current = true
  })

  usePullDownRefresh(() => {
    void refresh().finally(() => void Taro.stopPullDownRefresh())
  })

  const items = listing?.tab === tab ? listing.items : null

  return (
    <View>
      <View className='st-card inbox-me'>
        <View className='inbox-me__who'>
          <Text className='st-h2 inbox-me__name' data-testid='staff-name'>{me.name}</Text>
          <Text className='st-muted' data-testid='staff-home-roles'>{membershipLabels(me).join('　')}</Text>
        </View>
        <View className='inbox-me__buttons'>
          {mayDo(me, 'file_proxy_tickets') ? (
            <Button
              className='st-btn st-btn--primary inbox-me__proxy'
              onClick={() => void Taro.navigateTo({ url: PROXY_PAGE })}
              data-testid='inbox-proxy'
            >
              代录诉求
            </Button>
          ) : null}
          <Button
            className='st-btn inbox-me__refresh'
            onClick={() => void Taro.navigateTo({ url: METRICS_PAGE })}
            data-testid='inbox-metrics'
          >
            统计
          </Button>
          {IS_H5 ? (
            <Button
              className='st-btn inbox-me__refresh'
              disabled={busy || undefined}
              onClick={() => void refresh()}
              data-testid='inbox-refresh'
            >
              {busy ? '刷新中…' : '刷新'}
            </Button>
          ) : null}
        </View>
        {isAdmin(me) ? (
          <Button className='st-btn st-btn--small' onClick={() => void Taro.redirectTo({ url: ADMIN_HOME_PAGE })}>
            进入管理后台
          </Button>
        ) : null}
      </View>

      <View className={`inbox-tabs${tabs.length > 5 ? ' inbox-tabs--six' : ''}`} role='tablist' data-testid='inbox-tabs'>
        {tabs.map((t) => (
          <Button
            key={t}
            className={`inbox-tab${t === tab ? ' inbox-tab--on' : ''}${t === 'overdue' && (counts.overdue ?? 0) > 0 ? ' inbox-tab--alarm' : ''}`}
            aria-selected={t === tab}
            onClick={() => setTab(t)}
            data-testid={`inbox-tab-${t}`}
          >
            <Text className='inbox-tab__label'>{TAB_LABELS[t]}</Text>
            <Text className='inbox-tab__count' data-testid={`inbox-count-${t}`}>
              {counts[t] === undefined ? '–' : String(counts[t])}
            </Text>
          </Button>
        ))}
      </View>

      {error ? <ErrorNote message={error.message} requestId={error.requestId} onRetry={() => void refresh()} /> : null}

      <View data-testid='inbox-list' data-tab={listing?.tab ?? ''} data-loading={busy ? 'true' : 'false'}>
        {items === null ? (
          <Text className='st-empty'>正在加载…</Text>
        ) : items.length === 0 ? (
          <Text className='st-empty' data-testid='inbox-empty'>
            {EMPTY[tab]}
          </Text>
        ) : (
          items.map((item) => (
            <InboxRow
              key={item.id}
              item={item}
              relation={'relation' in item ? item.relation : 'supervisor'}
              now={now}
              knownLevel={'escalation' in item ? item.escalation.level : (levels.get(item.id) ?? null)}
              onOpen={openRequest}
            />
          ))
        )}
        {listing && listing.tab === tab && listing.items.length < listing.total ? (
          <Button className='st-btn' disabled={busy || undefined} onClick={() => void more()}>
            {`加载更多（还有 ${listing.total - listing.items.length} 条）`}
          </Button>
        ) : null}
      </View>
      <Text className='st-hint inbox-foot'>按最近的截止时间排序。超时的诉求会逐级升级督办。</Text>
    </View>
  )
}

/** The staff home: the inbox, ordered by the nearest deadline, with counts on the tabs. */
export function StaffHomePage() {
  const [unread, setUnread] = useState(0)
  return (
    <StaffFrame
      title='民情工作台'
      back={false}
      testId='staff-home'
      right={
        <>
          <Button
            className='st-bar__btn'
            onClick={() => void Taro.navigateTo({ url: NOTIFICATIONS_PAGE })}
            data-testid='inbox-notifications'
          >
            通知
            {/* Always rendered: Taro's H5 button does not take children appearing later. */}
            <Text className={`st-bar__badge${unread > 0 ? '' : ' st-bar__badge--none'}`} data-testid='inbox-unread'>
              {unread > 99 ? '99+' : String(unread)}
            </Text>
          </Button>
          <Button className='st-bar__btn' onClick={() => void signOut()} data-testid='staff-logout'>
            退出
          </Button>
        </>
      }
    >
      {(me) => <Inbox me={me} onUnread={setUnread} />}
    </StaffFrame>
  )
}

export default StaffHomePage
