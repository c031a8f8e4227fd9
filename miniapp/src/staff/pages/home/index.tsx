import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { INBOX_FILTERS, PAGES, mayExportLedgerAs, pageUrl, type EscalationItem, type InboxFilter, type TicketListItem } from '@mq/shared'
import { ADMIN_HOME_PAGE, STAFF_LOGIN_PAGE, isAdmin, logout, membershipLabels, type StaffMe } from '@/api/auth'
import { escalations, inbox, inboxCounts, unreadCount } from '@/api/staff-requests'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Loaded, Nothing } from '@/ui/states'
import { mayDo } from '../../actions'
import { InboxRow } from '../../components/inbox-row'
import { ErrorNote } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
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
/** The ledger export (admin subpackage): staff reach it from here, admins from the console. */
const LEDGER_PAGE = pageUrl(PAGES.admin.ledger)

function exportsLedger(me: StaffMe): boolean {
  return me.memberships.some((m) => mayExportLedgerAs(m.role))
}
const IS_H5 = process.env.TARO_ENV === 'h5'

function openRequest(id: string): void {
  void Taro.navigateTo({ url: requestUrl(id) })
}

async function signOut(): Promise<void> {
  await logout('staff')
  await Taro.reLaunch({ url: STAFF_LOGIN_PAGE })
}

type Item = TicketListItem | EscalationItem

interface Listing {
  tab: Tab
  items: Item[]
  total: number
  page: number
}

async function loadList(which: Tab, page: number): Promise<{ items: Item[]; total: number }> {
  const result = which === 'escalated' ? await escalations(page, PAGE_SIZE) : await inbox(which, page, PAGE_SIZE)
  return { items: result.items, total: result.total }
}

/**
 * The filters as a grid of kit buttons with their counts: all six stay in view on a 320 px screen (a
 * scrolling tab strip would hide some), each a full tap target.
 */
function InboxTabs({ tabs, tab, counts, onPick }: { tabs: Tab[]; tab: Tab; counts: Partial<Record<Tab, number>>; onPick: (t: Tab) => void }) {
  return (
    <View className={`inbox-tabs${tabs.length > 5 ? ' inbox-tabs--six' : ''}`} role='tablist' data-testid='inbox-tabs'>
      {tabs.map((t) => (
        <Button
          key={t}
          className={`inbox-tab${t === tab ? ' inbox-tab--on' : ''}${t === 'overdue' && (counts.overdue ?? 0) > 0 ? ' inbox-tab--alarm' : ''}`}
          type={t === tab ? 'primary' : 'default'}
          fill={t === tab ? 'solid' : 'outline'}
          aria-selected={t === tab}
          onClick={() => onPick(t)}
          data-testid={`inbox-tab-${t}`}
        >
          <View className='inbox-tab__inner'>
            <Text className='inbox-tab__label'>{TAB_LABELS[t]}</Text>
            <Text className='inbox-tab__count' data-testid={`inbox-count-${t}`}>
              {counts[t] === undefined ? '–' : String(counts[t])}
            </Text>
          </View>
        </Button>
      ))}
    </View>
  )
}

function Inbox({ me, onUnread }: { me: StaffMe; onUnread: (n: number) => void }) {
  const supervises = mayDo(me, 'supervise_tickets')
  const tabs: Tab[] = supervises ? [...INBOX_FILTERS, 'escalated'] : [...INBOX_FILTERS]
  // Supervisors who do not handle requests themselves start where their attention is owed.
  const [tab, setTab] = useState<Tab>(() => (supervises && !mayDo(me, 'handle_tickets') ? 'overdue' : 'to_accept'))
  // Kept across tabs: the counts stay on the buttons while another list loads.
  const [counts, setCounts] = useState<Partial<Record<Tab, number>>>({})
  const [levels, setLevels] = useState<Map<string, number>>(new Map())
  const now = useNow(30_000)

  const list = useResource<Listing>(`inbox:${tab}`, async () => {
    const [first, tabCounts, escalated, unread] = await Promise.all([
      loadList(tab, 1),
      inboxCounts(),
      supervises ? escalations(1, 50) : Promise.resolve(null),
      unreadCount().catch(() => null),
    ])
    setCounts({ ...tabCounts, ...(escalated ? { escalated: escalated.total } : {}) })
    if (escalated) setLevels(new Map(escalated.items.map((e) => [e.id, e.escalation.level])))
    if (unread !== null) onUnread(unread)
    return { tab, items: first.items, total: first.total, page: 1 }
  })

  const more = useMutation(async (shown: Listing) => {
    const next = await loadList(shown.tab, shown.page + 1)
    list.setData({ ...shown, items: [...shown.items, ...next.items], total: next.total, page: shown.page + 1 })
  })

  const listing = list.data
  const busy = list.loading || more.busy

  return (
    <View>
      <View className='mq-card inbox-me'>
        <View className='inbox-me__who'>
          <Text className='mq-card__title' data-testid='staff-name'>{me.name}</Text>
          <Text className='st-muted' data-testid='staff-home-roles'>{membershipLabels(me).join('　')}</Text>
        </View>
        <View className='inbox-me__buttons'>
          {mayDo(me, 'file_proxy_tickets') ? (
            <Button
              type='primary'
              fill='solid'
              className='inbox-me__proxy'
              onClick={() => void Taro.navigateTo({ url: PROXY_PAGE })}
              data-testid='inbox-proxy'
            >
              代录诉求
            </Button>
          ) : null}
          <Button className='inbox-me__more' onClick={() => void Taro.navigateTo({ url: METRICS_PAGE })} data-testid='inbox-metrics'>
            统计
          </Button>
          {exportsLedger(me) ? (
            <Button className='inbox-me__more' onClick={() => void Taro.navigateTo({ url: LEDGER_PAGE })} data-testid='inbox-ledger'>
              导出台账
            </Button>
          ) : null}
          {IS_H5 ? (
            <Button className='inbox-me__more' disabled={busy} onClick={() => void list.reload()} data-testid='inbox-refresh'>
              {list.loading ? '刷新中…' : '刷新'}
            </Button>
          ) : null}
        </View>
        {isAdmin(me) ? (
          <Button block className='inbox-me__admin' onClick={() => void Taro.redirectTo({ url: ADMIN_HOME_PAGE })}>
            进入管理后台
          </Button>
        ) : null}
      </View>

      <InboxTabs tabs={tabs} tab={tab} counts={counts} onPick={setTab} />

      {/* A failed refresh over a list still shown: say so above it; a failed first load is <Loaded>'s. */}
      {listing && list.error ? (
        <ErrorNote message={list.error.message} requestId={list.error.requestId} onRetry={() => void list.reload()} />
      ) : null}
      {more.error ? <ErrorNote message={more.error.message} requestId={more.error.requestId} /> : null}

      <View data-testid='inbox-list' data-tab={listing?.tab ?? ''} data-loading={list.loading ? 'true' : 'false'}>
        <Loaded
          resource={list}
          rows={4}
          isEmpty={(d) => d.items.length === 0}
          empty={<Nothing title={EMPTY[tab]} description='下拉或点「刷新」可查看最新情况。' testId='inbox-empty' />}
        >
          {(d) => (
            <>
              {d.items.map((item) => (
                <InboxRow
                  key={item.id}
                  item={item}
                  relation={'relation' in item ? item.relation : 'supervisor'}
                  now={now}
                  knownLevel={'escalation' in item ? item.escalation.level : (levels.get(item.id) ?? null)}
                  onOpen={openRequest}
                />
              ))}
              {d.items.length < d.total ? (
                <Button block disabled={busy} onClick={() => void more.run(d)} data-testid='inbox-more'>
                  {more.busy ? '正在加载…' : `加载更多（还有 ${d.total - d.items.length} 条）`}
                </Button>
              ) : null}
            </>
          )}
        </Loaded>
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
          <Button onClick={() => void Taro.navigateTo({ url: NOTIFICATIONS_PAGE })} data-testid='inbox-notifications'>
            通知
            {/* Always rendered: Taro's H5 button does not take children appearing later. */}
            <Text className={`st-bar__badge${unread > 0 ? '' : ' st-bar__badge--none'}`} data-testid='inbox-unread'>
              {unread > 99 ? '99+' : String(unread)}
            </Text>
          </Button>
          <Button onClick={() => void signOut()} data-testid='staff-logout'>
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
