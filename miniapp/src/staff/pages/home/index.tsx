import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { BATCH_MAX, INBOX_FILTERS, PAGES, mayExportLedgerAs, pageUrl, type EscalationItem, type InboxFilter, type TicketListItem } from '@mq/shared'
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
import { VisitsDueCard } from '../visits/due-card'
import { BulkBar, BulkReportNote, type BulkReport } from './bulk'
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

/**
 * 新: a request filed after the staff member last opened the inbox on this device. The device remembers
 * the time (per staff member); the time of this visit becomes the next one's line when the page closes
 * over (a return from a request keeps today's marks). A request handed over to them from an older filing
 * is not 新: the notification tells them of it.
 */
const LAST_LOOK_KEY = (staffId: string) => `mq.inbox.lastLook.${staffId}`

function useLastLook(staffId: string): number | null {
  const [before] = useState<number | null>(() => {
    const stored: unknown = Taro.getStorageSync(LAST_LOOK_KEY(staffId))
    const at = typeof stored === 'string' ? Date.parse(stored) : NaN
    return Number.isFinite(at) ? at : null
  })
  useEffect(() => {
    Taro.setStorageSync(LAST_LOOK_KEY(staffId), new Date().toISOString())
  }, [staffId])
  return before
}

function lookText(at: number): string {
  const d = new Date(at)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

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
  const lastLook = useLastLook(me.id)
  // 多选: null when not selecting; the selection survives tab changes and reloads.
  const [selection, setSelection] = useState<Map<string, string> | null>(null)
  const [report, setReport] = useState<BulkReport | null>(null)
  const handles = mayDo(me, 'handle_tickets')

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
  const pageItems = listing?.items ?? []
  const newCount = lastLook === null ? 0 : pageItems.filter((i) => Date.parse(i.createdAt) > lastLook).length

  const toggle = (item: Item) => {
    if (!selection) return
    const next = new Map(selection)
    if (next.has(item.id)) next.delete(item.id)
    else if (next.size < BATCH_MAX) next.set(item.id, item.number)
    setSelection(next)
  }
  const selectPage = () => {
    const next = new Map(selection ?? [])
    for (const item of pageItems) if (next.size < BATCH_MAX) next.set(item.id, item.number)
    setSelection(next)
  }
  const finished = (done: BulkReport) => {
    setReport(done)
    // What did not go through stays selected, to try again or to open one by one.
    setSelection(new Map(done.failed.map((f) => [f.id, f.number])))
    void list.reload()
  }

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
          {mayDo(me, 'handle_tickets') ? (
            <Button className='inbox-me__more' onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.staff.needs) })} data-testid='inbox-needs'>
              居民需求
            </Button>
          ) : null}
          {mayDo(me, 'view_tickets') ? (
            <Button className='inbox-me__more' onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.staff.meetings) })} data-testid='inbox-meetings'>
              议事会
            </Button>
          ) : null}
          {mayDo(me, 'view_tickets') ? (
            <Button className='inbox-me__more' onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.staff.resources) })} data-testid='inbox-resources'>
              资源清单
            </Button>
          ) : null}
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

      <VisitsDueCard me={me} />

      <InboxTabs tabs={tabs} tab={tab} counts={counts} onPick={setTab} />

      {handles && !selection ? (
        <View className='inbox-tools'>
          <Text className='st-muted inbox-tools__look' data-testid='inbox-last-look'>
            {lastLook === null
              ? '紧急、超时的排在前面'
              : newCount > 0
                ? `上次查看 ${lookText(lastLook)}，之后新到 ${newCount} 件（标「新」）`
                : `上次查看 ${lookText(lastLook)}，之后没有新到的`}
          </Text>
          <Button
            size='small'
            onClick={() => {
              setReport(null)
              setSelection(new Map())
            }}
            data-testid='inbox-select'
          >
            多选
          </Button>
        </View>
      ) : null}
      {selection ? (
        <BulkBar
          selection={selection}
          pageIds={pageItems.map((i) => i.id)}
          onSelectPage={selectPage}
          onClear={() => setSelection(new Map())}
          onExit={() => {
            setSelection(null)
            setReport(null)
          }}
          onDone={finished}
        />
      ) : null}
      {report ? <BulkReportNote report={report} /> : null}

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
                  onOpen={selection ? () => toggle(item) : openRequest}
                  isNew={lastLook !== null && Date.parse(item.createdAt) > lastLook}
                  selected={selection ? selection.has(item.id) : undefined}
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
      <Text className='st-hint inbox-foot'>紧急的在最前，其次按截止时间（已超时的最先）。超时的诉求会逐级升级督办。</Text>
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
