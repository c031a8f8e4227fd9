import { useMemo } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  COMPOSITE_KEYS,
  METRIC_KEYS,
  METRIC_LABELS,
  RANKING_KEYS,
  RANKING_LABELS,
  RANKING_PERIOD_PATTERN,
  can,
  currentRankingPeriods,
  localParts,
  rankingPeriod,
  type MetricsAttention,
  type MetricsHeat,
  type PlaceKind,
  type Ranking,
  type RankingKey,
  type RankingRow,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { metricsAttention, metricsHeat, ranking } from '@/api/metrics'
import { Button } from '@/ui/button'
import { Card, Choices, Tag } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { useResource } from '@/data/resource'
import { StaffFrame } from '../../components/staff-frame'
import { AttentionList, HeatTable, metricPlaces } from '../metrics'
import { METRIC_HINTS, counts, percent } from '../metrics/format'
import { recurringUrl } from '../recurring/link'
import { rankingUrl } from './link'
import { WeightsForm } from './weights'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

const KIND_LABELS: Record<PlaceKind, string> = {
  district: '区',
  street: '街道',
  community: '社区',
  compound: '小区',
  building: '楼栋',
  unit: '单元',
}

/** What a level's rows are, in words: "各街道", "各楼栋", "各处理人". */
function rowsTitle(data: Ranking): string {
  if (data.of === 'handlers') return '各处理人'
  const below = data.rows[0]?.placeKind
  return below ? `各${KIND_LABELS[below]}` : '下一级'
}

/** This month, last month, this quarter and last quarter, as ranking periods. */
function periodChoices(now: number): { value: string; label: string }[] {
  const { month, quarter } = currentRankingPeriods(now)
  const { year, month: m } = localParts(now)
  const lastMonth = m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`
  const q = Math.ceil(m / 3)
  const lastQuarter = q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`
  return [
    { value: month, label: '本月' },
    { value: lastMonth, label: '上月' },
    { value: quarter, label: '本季度' },
    { value: lastQuarter, label: '上季度' },
  ]
}

/** "88.5 分" for a composite, a percentage for a rate, "暂无" without a figure. */
function scoreText(by: RankingKey, row: RankingRow): string {
  if (row.score === null) return '暂无'
  if (by === 'composite') return `${(Math.round(row.score * 1000) / 10).toFixed(1)} 分`
  return percent(row[by])
}

function go(url: string): void {
  void Taro.navigateTo({ url })
}

function Figures({ data }: { data: Ranking }) {
  const w = data.weights
  return (
    <Card
      title={`${data.placeName} · ${data.periodLabel}`}
      extra={<Text className='rk-received' data-testid='ranking-received'>{`收到 ${data.total.received} 件`}</Text>}
      testId='ranking-figures'
    >
      <View className='rk-composite'>
        <Text className='rk-composite__label'>综合得分</Text>
        <Text className='rk-composite__value' data-testid='ranking-total-composite'>
          {data.total.composite === null ? '暂无' : `${(Math.round(data.total.composite * 1000) / 10).toFixed(1)} 分`}
        </Text>
      </View>
      <Text className='st-hint' data-testid='ranking-weights'>
        {`综合得分 = ${COMPOSITE_KEYS.map((k) => `${METRIC_LABELS[k]}×${w[k]}%`).join(' + ')}${data.weightsDefault ? '（默认权重）' : '（本区设定）'}；某项暂无数据时按其余各项的权重折算。`}
      </Text>
      <View className='rk-rates'>
        {METRIC_KEYS.map((key) => (
          <View key={key} className='rk-rate' data-testid={`ranking-total-${key}`}>
            <Text className='rk-rate__label'>{METRIC_LABELS[key]}</Text>
            <Text className='rk-rate__value'>{percent(data.total[key])}</Text>
            <Text className='rk-rate__counts'>{counts(data.total[key])}</Text>
            <Text className='rk-rate__hint'>{METRIC_HINTS[key]}</Text>
          </View>
        ))}
      </View>
    </Card>
  )
}

function RankTable({
  data,
  onBy,
  onOf,
  recurring,
}: {
  data: Ranking
  onBy: (by: RankingKey) => void
  onOf: (of: 'places' | 'handlers') => void
  /** Whether the caller decides recurring problems: compound rows then link to their 重点问题. */
  recurring: boolean
}) {
  const drillable = (row: RankingRow) => row.placeKind !== null && row.key !== null
  return (
    <Card title={`${rowsTitle(data)}排名`} testId='ranking-table' data-of={data.of} data-by={data.by}>
      {data.placeKind === 'compound' ? (
        <Choices
          choices={[
            { value: 'places', label: '按楼栋', testId: 'ranking-of-places' },
            { value: 'handlers', label: '按处理人', testId: 'ranking-of-handlers' },
          ]}
          value={data.of}
          onPick={onOf}
        />
      ) : null}
      <View className='rk-by'>
        <Choices
          small
          choices={RANKING_KEYS.map((k) => ({ value: k, label: RANKING_LABELS[k], testId: `ranking-by-${k}` }))}
          value={data.by}
          onPick={onBy}
        />
      </View>
      <Text className='st-hint'>
        {`少于 ${data.minSample} 件的标“样本不足”，不参与排名，排在后面。${data.by === 'handoff' || data.by === 'redo' ? `${RANKING_LABELS[data.by]}越低越好。` : ''}`}
        {data.rows.some(drillable) ? '点一行查看下一级。' : ''}
      </Text>
      {data.rows.length === 0 ? (
        <Text className='st-muted'>这段时间没有诉求。</Text>
      ) : (
        data.rows.map((row) => (
          <View
            key={row.key ?? 'none'}
            className={`rk-row${drillable(row) ? ' rk-row--link' : ''}`}
            onClick={drillable(row) ? () => go(rankingUrl({ placeId: row.key!, period: data.period, by: data.by })) : undefined}
            data-testid='ranking-row'
            data-key={row.key ?? ''}
            data-rank={row.rank === null ? '' : String(row.rank)}
            data-small={row.smallSample ? 'true' : 'false'}
          >
            <Text className={`rk-row__rank${row.rank === 1 ? ' rk-row__rank--first' : ''}`}>{row.rank === null ? '—' : String(row.rank)}</Text>
            <View className='rk-row__main'>
              <View className='rk-row__top'>
                <Text className='rk-row__name' data-testid='ranking-row-name'>{row.label}</Text>
                {row.smallSample ? (
                  <Tag tone='warn' outline testId='ranking-small'>
                    样本不足
                  </Tag>
                ) : null}
              </View>
              <Text className='st-muted rk-row__line'>
                {`收到 ${row.received} 件 · 响应 ${percent(row.response)} · 解决 ${percent(row.resolution)} · 满意 ${percent(row.satisfaction)}`}
              </Text>
              <Text className='st-muted rk-row__line'>
                {`按时 ${percent(row.onTime)} · 回退 ${percent(row.handoff)} ${counts(row.handoff)} · 重办 ${percent(row.redo)} ${counts(row.redo)}`}
              </Text>
              {recurring && row.placeKind === 'compound' && row.key ? (
                <Text
                  className='rk-row__recurring'
                  onClick={(e) => {
                    e.stopPropagation()
                    go(recurringUrl(row.key!))
                  }}
                  data-testid='ranking-row-recurring'
                >
                  重点问题
                </Text>
              ) : null}
            </View>
            <View className='rk-row__score'>
              <Text className='rk-row__value' data-testid='ranking-row-score'>{scoreText(data.by, row)}</Text>
              {data.by === 'composite' || row.score === null ? null : <Text className='rk-row__counts'>{counts(row[data.by])}</Text>}
              {drillable(row) ? <Text className='rk-row__more'>›</Text> : null}
            </View>
          </View>
        ))
      )}
    </Card>
  )
}

interface Level {
  ranking: Ranking
  heat: MetricsHeat
  attention: MetricsAttention | null
}

function RankingScreen({ me }: { me: StaffMe }) {
  const { params } = useRouter()
  const places = useMemo(() => metricPlaces(me), [me])
  const choices = useMemo(() => periodChoices(Date.now()), [])
  const placeId = params.placeId ?? places[0]?.id ?? null
  const period = params.period && RANKING_PERIOD_PATTERN.test(params.period) ? params.period : choices[0].value
  const by = (RANKING_KEYS as readonly string[]).includes(params.by ?? '') ? (params.by as RankingKey) : 'composite'
  const of = params.of === 'handlers' || params.of === 'places' ? params.of : undefined
  // Lists name requests: only for roles that read requests (not admins, who see the figures only).
  const lists = me.memberships.some((m) => can(m.role, 'view_tickets'))
  const supervises = me.memberships.some((m) => can(m.role, 'supervise_tickets'))
  const level = useResource<Level>(placeId ? `ranking|${placeId}|${period}|${by}|${of ?? ''}` : null, async () => {
    const bounds = rankingPeriod(period)!
    const scope = { placeId: placeId!, from: bounds.from.toISOString(), to: bounds.to.toISOString() }
    const [rk, heat, attention] = await Promise.all([
      ranking({ placeId: placeId!, period, by, of }),
      metricsHeat(scope),
      lists ? metricsAttention(placeId!).catch(() => null) : null,
    ])
    return { ranking: rk, heat, attention }
  })

  if (!placeId) {
    return (
      <Card title='没有可查看的排名' testId='ranking-forbidden'>
        <Text className='st-text'>考核排名对处理、督办诉求的岗位和管理员开放。</Text>
      </Card>
    )
  }
  // Same page, other settings: replace it, so 返回 goes back a level, not back a setting.
  const redirect = (q: { period?: string; by?: RankingKey; of?: 'places' | 'handlers' }) =>
    void Taro.redirectTo({ url: rankingUrl({ placeId, period, by, of, ...q }) })

  return (
    <View className='rk' data-testid='ranking' data-loading={level.loading ? 'true' : 'false'} data-place={placeId} data-period={period}>
      <Loaded resource={level} rows={5} errorTestId='ranking-error'>
        {({ ranking: data, heat, attention }) => (
          <>
            <Card className='rk-head' testId='ranking-head'>
              <View className='rk-trail' data-testid='ranking-trail'>
                {data.trail.map((p, i) => (
                  <Text
                    key={p.id}
                    className={`rk-trail__item${p.id === data.placeId ? ' rk-trail__item--here' : ''}`}
                    onClick={p.id === data.placeId ? undefined : () => void Taro.redirectTo({ url: rankingUrl({ placeId: p.id, period, by }) })}
                    data-testid='ranking-trail-item'
                  >
                    {`${i > 0 ? '› ' : ''}${p.name}`}
                  </Text>
                ))}
              </View>
              <View className='rk-noprint'>
                <Choices
                  choices={choices.map((c) => ({ ...c, testId: `ranking-period-${c.label}` }))}
                  value={period}
                  onPick={(p) => redirect({ period: p })}
                />
              </View>
              {supervises && data.placeKind === 'compound' ? (
                <View className='rk-noprint st-stack'>
                  <Button block onClick={() => go(recurringUrl(data.placeId))} data-testid='ranking-recurring'>
                    本小区重点问题
                  </Button>
                </View>
              ) : null}
              {IS_H5 ? (
                <View className='rk-noprint st-stack'>
                  <Button block onClick={() => window.print()} data-testid='ranking-print'>
                    打印本页
                  </Button>
                </View>
              ) : null}
            </Card>
            <Figures data={data} />
            {data.placeKind === 'district' && me.memberships.some((m) => m.place.id === data.placeId && can(m.role, 'supervise_tickets')) ? (
              <WeightsForm key={`${data.placeId}|${JSON.stringify(data.weights)}`} districtId={data.placeId} weights={data.weights} onSaved={() => void level.reload()} />
            ) : null}
            <RankTable data={data} onBy={(k) => redirect({ by: k })} onOf={(o) => redirect({ of: o })} recurring={supervises} />
            {attention ? (
              <>
                <AttentionList title='已超时' items={attention.overdue} empty='没有超时未办的诉求。' testId='ranking-overdue' />
                <AttentionList title='升级督办' items={attention.escalated} empty='没有升级督办的诉求。' testId='ranking-escalated' />
              </>
            ) : null}
            <HeatTable data={heat} />
          </>
        )}
      </Loaded>
    </View>
  )
}

/** 考核排名 and the drill-down: a place's figures, the level below ranked, its lists and heat table. */
export function StaffRankingPage() {
  return (
    <StaffFrame title='考核排名' testId='staff-ranking'>
      {(me) => <RankingScreen me={me} />}
    </StaffFrame>
  )
}

export default StaffRankingPage
