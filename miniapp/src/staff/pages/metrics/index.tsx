import { useMemo, useState } from 'react'
import { Picker, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import {
  METRIC_GROUPINGS,
  ROLE_LABELS,
  TICKET_STATE_LABELS,
  can,
  type AttentionItem,
  type MetricGrouping,
  type MetricKey,
  type Metrics,
  type MetricsAttention,
  type MetricsHeat,
  type MetricsWeekly,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import type { ApiError } from '@/api/client'
import { metrics, metricsAttention, metricsHeat, metricsWeekly, type MetricsScope } from '@/api/metrics'
import { localDateString, localDateTime } from '@mq/shared'
import { Button } from '@/ui/button'
import { Card, Choices, Tag } from '@/ui/parts'
import { Loaded, Loading } from '@/ui/states'
import { useResource } from '@/data/resource'
import { useElderMode } from '@/elder/elder-mode'
import { ErrorNote, Field } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { escalationText } from '../../due'
import { requestUrl } from '../../routes'
import { rankingUrl } from '../ranking/link'
import { recurringUrl } from '../recurring/link'
import { METRIC_HINTS, METRIC_KEYS, METRIC_LABELS, counts, heatShade, overdueText, percent, ticketNumber } from './format'
import { customPeriod, lastMonth, thisMonth, weekLabel, type Period, type PeriodKind } from './period'
import { VisitFiguresCard } from '../visits/figures-card'
import './index.scss'

const GROUP_LABELS: Record<MetricGrouping, string> = {
  role: '按角色',
  person: '按人员',
  category: '按类别',
  building: '按楼栋',
}

const GROUP_COLUMN: Record<MetricGrouping, string> = {
  role: '角色',
  person: '人员',
  category: '类别',
  building: '楼栋',
}

type Series = 'received' | MetricKey

const SERIES_LABELS: Record<Series, string> = { received: '收到件数', ...METRIC_LABELS }

export interface PlaceOption {
  id: string
  name: string
  /** Whether the account may also list that place's requests (the overdue and escalated lists). */
  lists: boolean
}

/**
 * The places whose figures the account may see: one per membership that may view metrics. Admins see
 * the figures but not the lists, which name requests.
 */
export function metricPlaces(me: StaffMe): PlaceOption[] {
  const seen = new Map<string, PlaceOption>()
  for (const m of me.memberships) {
    if (!can(m.role, 'view_metrics')) continue
    const lists = can(m.role, 'view_tickets')
    const known = seen.get(m.place.id)
    if (known) known.lists ||= lists
    else seen.set(m.place.id, { id: m.place.id, name: m.place.name, lists })
  }
  return [...seen.values()]
}

function openRequest(id: string): void {
  void Taro.navigateTo({ url: requestUrl(id) })
}

// ---------------------------------------------------------------------------------------------------

function RateTiles({ data }: { data: Metrics }) {
  return (
    <Card
      title='各项指标'
      extra={<Text className='metrics-received' data-testid='metrics-received'>{`收到诉求 ${data.total.received} 件`}</Text>}
      testId='metrics-rates'
    >
      <View className='metrics-rates'>
        {METRIC_KEYS.map((key) => (
          <View key={key} className='metrics-rate' data-testid={`metric-${key}`}>
            <Text className='metrics-rate__label'>{METRIC_LABELS[key]}</Text>
            <Text className='metrics-rate__value' data-testid={`metric-${key}-percent`}>
              {percent(data.total[key])}
            </Text>
            <Text className='metrics-rate__counts' data-testid={`metric-${key}-counts`}>
              {counts(data.total[key])}
            </Text>
            <Text className='metrics-rate__hint'>{METRIC_HINTS[key]}</Text>
          </View>
        ))}
      </View>
    </Card>
  )
}

function GroupTable({
  data,
  groupBy,
  onGroup,
  failed,
  onRetry,
}: {
  data: Metrics | null
  groupBy: MetricGrouping
  onGroup: (g: MetricGrouping) => void
  failed: ApiError | null
  onRetry: () => void
}) {
  const rows = data && data.groupBy === groupBy ? data.groups : null
  return (
    <Card title='分组对比' testId='metrics-groups'>
      <Choices choices={METRIC_GROUPINGS.map((g) => ({ value: g, label: GROUP_LABELS[g], testId: `metrics-group-${g}` }))} value={groupBy} onPick={onGroup} />
      <View className='metrics-table' data-testid='metrics-group-table' data-group={rows ? groupBy : ''}>
        <View className='metrics-table__row metrics-table__row--head'>
          <Text className='metrics-table__name'>{GROUP_COLUMN[groupBy]}</Text>
          <Text className='metrics-table__num'>收到</Text>
          {METRIC_KEYS.map((key) => (
            <Text key={key} className='metrics-table__num'>
              {METRIC_LABELS[key]}
            </Text>
          ))}
        </View>
        {rows === null ? (
          failed ? (
            <ErrorNote message={failed.message} requestId={failed.requestId} onRetry={onRetry} />
          ) : (
            <Loading rows={2} />
          )
        ) : rows.length === 0 ? (
          <Text className='st-muted metrics-empty'>这段时间没有诉求。</Text>
        ) : (
          rows.map((row) => (
            <View key={row.key ?? 'none'} className='metrics-table__row' data-testid='metrics-group-row' data-key={row.key ?? ''}>
              <Text className='metrics-table__name'>{row.label}</Text>
              <View className='metrics-table__num metrics-table__received'>
                <Text className='metrics-table__label'>收到</Text>
                <Text>{String(row.received)}</Text>
              </View>
              {METRIC_KEYS.map((key) => (
                <View key={key} className='metrics-table__num' data-testid={`group-${key}`}>
                  <Text className='metrics-table__label'>{METRIC_LABELS[key]}</Text>
                  <Text className='metrics-table__pct'>{percent(row[key])}</Text>
                  <Text className='metrics-table__counts'>{counts(row[key])}</Text>
                </View>
              ))}
            </View>
          ))
        )}
      </View>
    </Card>
  )
}

function WeeklyChart({ data }: { data: MetricsWeekly }) {
  const [series, setSeries] = useState<Series>('received')
  const maxReceived = Math.max(1, ...data.weeks.map((w) => w.received))
  return (
    <Card title='每周趋势' testId='metrics-weekly'>
      <Choices
        choices={(['received', ...METRIC_KEYS] as Series[]).map((s) => ({ value: s, label: SERIES_LABELS[s], testId: `metrics-series-${s}` }))}
        value={series}
        onPick={setSeries}
      />
      {data.weeks.length === 0 ? (
        <Text className='st-muted metrics-empty'>没有可显示的周。</Text>
      ) : (
        <View className='metrics-scroll'>
          <View className='metrics-bars' data-testid='metrics-bars' data-series={series}>
            {data.weeks.map((week) => {
              const ratio = series === 'received' ? null : week[series]
              const share =
                ratio === null ? week.received / maxReceived : ratio.denominator > 0 ? ratio.numerator / ratio.denominator : 0
              const value = ratio === null ? `${week.received}件` : percent(ratio)
              return (
                <View key={week.weekStart} className='metrics-bar' data-testid='metrics-week' data-week={week.weekStart}>
                  <Text className='metrics-bar__value'>{value}</Text>
                  <View className='metrics-bar__track'>
                    <View
                      className={`metrics-bar__fill${ratio !== null && ratio.denominator === 0 ? ' metrics-bar__fill--none' : ''}`}
                      style={{ height: `${Math.round(share * 100)}%` }}
                    />
                  </View>
                  {ratio === null ? null : <Text className='metrics-bar__counts'>{counts(ratio)}</Text>}
                  <Text className='metrics-bar__label'>{`${weekLabel(week.weekStart)}起`}</Text>
                </View>
              )
            })}
          </View>
        </View>
      )}
    </Card>
  )
}

export function AttentionList({ title, items, empty, testId }: { title: string; items: AttentionItem[]; empty: string; testId: string }) {
  return (
    <Card title={`${title}（${items.length}）`} testId={testId}>
      {items.length === 0 ? (
        <Text className='st-muted'>{empty}</Text>
      ) : (
        items.map((item) => (
          <View key={item.id} className='metrics-att' onClick={() => openRequest(item.id)} data-testid='attention-row' data-id={item.id}>
            <View className='metrics-att__top'>
              <Text className='metrics-att__title'>{`${item.categoryLabel} · ${item.buildingName}`}</Text>
              <Tag tone='primary'>{TICKET_STATE_LABELS[item.state]}</Tag>
            </View>
            <Text className='st-muted'>
              {`${ticketNumber(item.number)} · ${item.handlerRole ? `${ROLE_LABELS[item.handlerRole]} ${item.handlerName ?? ''}`.trim() : '待分派'}`}
            </Text>
            <View className='st-row'>
              {item.overdueMinutes > 0 ? (
                <Tag tone='danger'>{`已超时 ${overdueText(item.overdueMinutes)}`}</Tag>
              ) : null}
              {item.escalationLevel > 0 ? <Tag tone='warn' outline>{escalationText(item.escalationLevel)}</Tag> : null}
              {item.dueAt ? <Text className='st-hint metrics-att__due'>{`时限 ${localDateTime(item.dueAt)}`}</Text> : null}
            </View>
          </View>
        ))
      )}
    </Card>
  )
}

/** The heat table's narrowest columns (px): the building names, then one per category, and the gap. */
const HEAT_NAME_COL = 72
const HEAT_COL = 60
const HEAT_GAP = 3
/** 长辈模式's columns hold four characters of its 20 px type (a category's name in two even lines). */
const HEAT_COL_ELDER = 84

/** Width left for a card's content: the staff body is at most 720px wide, minus its and the card's padding. */
function cardContentWidth(): number {
  return Math.min(Taro.getSystemInfoSync().windowWidth, 720) - 2 * 12 - 2 * 14
}

export function HeatTable({ data }: { data: MetricsHeat }) {
  const { elder } = useElderMode()
  const col = elder ? HEAT_COL_ELDER : HEAT_COL
  const byCell = new Map(data.cells.map((c) => [`${c.buildingId}|${c.category}`, c.count]))
  const columns = `minmax(${HEAT_NAME_COL}px, 1.2fr) repeat(${data.categories.length}, minmax(${col}px, 1fr))`
  const minWidth = HEAT_NAME_COL + data.categories.length * (col + HEAT_GAP)
  // Wider than the card: say so, and fade the right edge, so nobody takes the visible columns for all.
  const wide = minWidth > cardContentWidth()
  return (
    <Card title='楼栋 × 类别' testId='metrics-heat'>
      <Text className='st-hint metrics-heat__hint'>颜色越深，这类问题在这幢楼反映得越多，可能是反复出现的问题。</Text>
      {data.buildings.length === 0 ? (
        <Text className='st-muted'>这段时间没有诉求。</Text>
      ) : (
        <View>
          {wide ? (
            <Text className='metrics-heat__swipe' data-testid='metrics-heat-swipe'>
              ‹ 表格较宽，请左右滑动查看全部类别 ›
            </Text>
          ) : null}
          <View
            className={`metrics-heat__frame${wide ? ' metrics-heat__frame--wide' : ''}`}
            data-testid='metrics-heat-frame'
            data-wide={wide ? 'true' : 'false'}
          >
            <View className='metrics-scroll' data-testid='metrics-heat-scroll'>
              <View className='metrics-heat' style={{ minWidth: `${minWidth}px` }}>
                <View className='metrics-heat__row' style={{ gridTemplateColumns: columns }}>
                  <Text className='metrics-heat__corner'>楼栋</Text>
                  {data.categories.map((c) => (
                    <Text key={c.code} className='metrics-heat__col' data-testid='heat-category'>
                      {c.label}
                    </Text>
                  ))}
                </View>
                {data.buildings.map((b) => (
                  <View key={b.id} className='metrics-heat__row' style={{ gridTemplateColumns: columns }} data-testid='heat-row'>
                    <Text className='metrics-heat__building'>{b.name}</Text>
                    {data.categories.map((c) => {
                      const count = byCell.get(`${b.id}|${c.code}`) ?? 0
                      const shade = heatShade(count, data.max)
                      return (
                        <Text
                          key={c.code}
                          className='metrics-heat__cell'
                          style={shade}
                          data-testid='heat-cell'
                          data-building={b.id}
                          data-category={c.code}
                          data-count={String(count)}
                        >
                          {count > 0 ? String(count) : '·'}
                        </Text>
                      )
                    })}
                  </View>
                ))}
              </View>
            </View>
          </View>
        </View>
      )}
    </Card>
  )
}

// ---------------------------------------------------------------------------------------------------

const PERIOD_LABELS: Record<PeriodKind, string> = { this_month: '本月', last_month: '上月', custom: '自定义' }

function PeriodPicker({
  period,
  onPick,
}: {
  period: Period
  onPick: (p: Period) => void
}) {
  const [kind, setKind] = useState<PeriodKind>(period.kind)
  const today = localDateString(Date.now())
  const [fromDay, setFromDay] = useState(() => localDateString(period.from))
  const [toDay, setToDay] = useState(today)
  const [error, setError] = useState<string | null>(null)

  function choose(next: PeriodKind): void {
    setKind(next)
    setError(null)
    if (next === 'this_month') onPick(thisMonth(Date.now()))
    if (next === 'last_month') onPick(lastMonth(Date.now()))
  }

  function apply(): void {
    const result = customPeriod(fromDay, toDay)
    if ('error' in result) setError(result.error)
    else {
      setError(null)
      onPick(result)
    }
  }

  return (
    <View>
      <Choices
        choices={(['this_month', 'last_month', 'custom'] as PeriodKind[]).map((k) => ({ value: k, label: PERIOD_LABELS[k], testId: `metrics-period-${k}` }))}
        value={kind}
        onPick={choose}
      />
      {kind === 'custom' ? (
        <View className='metrics-custom' data-testid='metrics-custom'>
          {/* The platform's own date picker: a range's two ends read best as native fields. */}
          <Field label='开始日期'>
            <Picker mode='date' value={fromDay} end={today} onChange={(e) => setFromDay(String(e.detail.value))} data-testid='metrics-from'>
              <View className='st-picker'>{fromDay || '请选择'}</View>
            </Picker>
          </Field>
          <Field label='结束日期（含当天）'>
            <Picker mode='date' value={toDay} end={today} onChange={(e) => setToDay(String(e.detail.value))} data-testid='metrics-to'>
              <View className='st-picker'>{toDay || '请选择'}</View>
            </Picker>
          </Field>
          {error ? (
            <Text className='st-field-error' data-testid='metrics-custom-error'>
              {error}
            </Text>
          ) : null}
          <View className='st-stack'>
            <Button type='primary' fill='solid' block onClick={apply} data-testid='metrics-custom-apply'>
              查看这段时间
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  )
}

interface Overview {
  summary: Metrics
  weekly: MetricsWeekly
  heat: MetricsHeat
  /** null when the account may see the figures but not the requests behind them. */
  attention: MetricsAttention | null
}

function MetricsScreen({ me }: { me: StaffMe }) {
  const places = useMemo(() => metricPlaces(me), [me])
  const [placeId, setPlaceId] = useState<string | null>(places[0]?.id ?? null)
  const [period, setPeriod] = useState<Period>(() => thisMonth(Date.now()))
  const [groupBy, setGroupBy] = useState<MetricGrouping>('role')

  const scope: MetricsScope | null = placeId ? { placeId, from: period.from, to: period.to } : null
  const scopeKey = scope ? `${scope.placeId}|${scope.from}|${scope.to}` : null
  const lists = places.find((p) => p.id === placeId)?.lists ?? false

  // Everything for the place and period at once; the table comes grouped as chosen when it was asked.
  const overview = useResource<Overview>(scopeKey, async () => {
    const [summary, weekly, heat, attention] = await Promise.all([
      metrics(scope!, groupBy),
      metricsWeekly(scope!),
      metricsHeat(scope!),
      lists ? metricsAttention(scope!.placeId) : null,
    ])
    return { summary, weekly, heat, attention }
  })
  // Another grouping than the overview's: only the table is asked again.
  const overviewGroup = overview.data?.summary.groupBy
  const regrouped = useResource<Metrics>(
    scopeKey && overviewGroup && overviewGroup !== groupBy ? `${scopeKey}|${groupBy}` : null,
    () => metrics(scope!, groupBy),
    { refreshOnShow: false },
  )

  if (!placeId || !scope) {
    return (
      <Card title='没有可查看的统计' testId='metrics-forbidden'>
        <Text className='st-text'>
          您的岗位没有可查看统计的地点。诉求统计对处理、督办诉求的岗位和管理员开放。
        </Text>
      </Card>
    )
  }

  const place = places.find((p) => p.id === placeId)
  // Supervisors decide recurring problems: from a compound, its own; from above, the page's compound picker.
  const supervises = me.memberships.some((m) => can(m.role, 'supervise_tickets'))
  const placeKind = me.memberships.find((m) => m.place.id === placeId)?.place.kind
  const busy = overview.loading || regrouped.loading

  return (
    <View data-testid='metrics' data-loading={busy ? 'true' : 'false'} data-place={placeId} data-from={scope.from} data-to={scope.to}>
      <Card>
        {places.length > 1 ? (
          <Field label='范围'>
            <Choices
              choices={places.map((p) => ({ value: p.id, label: p.name, testId: 'metrics-place' }))}
              value={placeId}
              onPick={setPlaceId}
            />
          </Field>
        ) : null}
        <Field label='时间'>
          <PeriodPicker period={period} onPick={setPeriod} />
        </Field>
        <Text className='st-hint' data-testid='metrics-scope'>
          {`${place?.name ?? ''} · ${period.label}${period.kind === 'this_month' ? '（截至今天）' : ''}提交的诉求`}
        </Text>
        <View className='st-stack'>
          <Button block onClick={() => void Taro.navigateTo({ url: rankingUrl({ placeId }) })} data-testid='metrics-ranking'>
            考核排名与逐级查看
          </Button>
          {supervises ? (
            <Button block onClick={() => void Taro.navigateTo({ url: recurringUrl(placeKind === 'compound' ? placeId : undefined) })} data-testid='metrics-recurring'>
              重点问题（反复出现的问题）
            </Button>
          ) : null}
        </View>
      </Card>

      <VisitFiguresCard placeId={placeId} />

      <Loaded resource={overview} rows={4} errorTestId='metrics-error'>
        {(data) => (
          <>
            <RateTiles data={data.summary} />
            <GroupTable
              data={data.summary.groupBy === groupBy ? data.summary : (regrouped.data ?? null)}
              groupBy={groupBy}
              onGroup={setGroupBy}
              failed={data.summary.groupBy === groupBy ? null : regrouped.error}
              onRetry={() => void regrouped.reload()}
            />
            <WeeklyChart data={data.weekly} />
            {data.attention ? (
              <>
                <AttentionList title='已超时' items={data.attention.overdue} empty='没有超时未办的诉求。' testId='metrics-overdue' />
                <AttentionList title='升级督办' items={data.attention.escalated} empty='没有升级督办的诉求。' testId='metrics-escalated' />
              </>
            ) : (
              <Card title='超时和升级清单' testId='metrics-lists-hidden'>
                <Text className='st-text'>清单列出具体诉求，只对处理或督办诉求的岗位开放；管理员岗位只看统计数字。</Text>
              </Card>
            )}
            <HeatTable data={data.heat} />
          </>
        )}
      </Loaded>
    </View>
  )
}

/** Staff metrics for a place and period: the four rates with their counts, trend, lists, heat table. */
export function StaffMetricsPage() {
  return (
    <StaffFrame title='诉求统计' testId='staff-metrics'>
      {(me) => <MetricsScreen me={me} />}
    </StaffFrame>
  )
}

export default StaffMetricsPage
