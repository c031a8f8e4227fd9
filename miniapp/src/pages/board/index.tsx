import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import {
  DECISION_STATUS_LABELS,
  MEETING_KIND_LABELS,
  OVERDUE_DECISION_LABEL,
  localDateTime,
  percent,
  type BoardCounts,
  type BoardItem,
  type PublicMeetingDecision,
  type PublicRecurring,
  type QuarterlyReport,
} from '@mq/shared'
import { getBoard, getBoardReport } from '@/api/board'
import { categoryLabel } from '@/components/category'
import { ResidentPage } from '@/components/resident-page'
import { StateBadge } from '@/components/state-badge'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Loaded, Nothing } from '@/ui/states'
import { BoardNeeds } from '../needs/board-section'
import './index.scss'

const day = (at: string) => localDateTime(at).slice(0, 10)

function Counts({ title, counts, testId }: { title: string; counts: BoardCounts; testId: string }) {
  const cells: [string, number][] = [
    ['收到', counts.received],
    ['已受理', counts.accepted],
    ['已承诺', counts.committed],
    ['已办结', counts.resolved],
    ['已销号', counts.closed],
    ['按时办结', counts.onTime],
  ]
  return (
    <View className='mq-card' data-testid={testId}>
      <Text className='mq-subtitle'>{title}</Text>
      <View className='board-counts'>
        {cells.map(([label, value]) => (
          <View key={label} className='board-count'>
            <Text className='mq-title board-count__value'>{String(value)}</Text>
            <Text className='mq-muted'>{label}</Text>
          </View>
        ))}
      </View>
      <Text className='mq-text'>
        {counts.averageRating === null
          ? '暂无评价'
          : `平均评价 ${counts.averageRating.toFixed(1)} 星（${counts.rated} 件评价）`}
      </Text>
    </View>
  )
}

function Item({ item }: { item: BoardItem }) {
  return (
    <View className='mq-card board-item' data-testid='board-item'>
      <View className='board-item__head'>
        <Text className='mq-subtitle board-item__title'>{`${categoryLabel(item.category)} · ${item.buildingName}`}</Text>
        <StateBadge state={item.state} reopened={item.reopened} />
      </View>
      <Text className='mq-text' data-testid='board-item-text'>
        {item.publicText}
      </Text>
      <Text className='mq-muted'>{`${item.number} · ${day(item.createdAt)} 收到`}</Text>
      {item.promise ? (
        <Text className='mq-text'>{`承诺：${item.promise.plan}（${day(item.promise.promisedAt)} 前办结）`}</Text>
      ) : null}
      {item.resolution ? <Text className='mq-text'>{`办理结果：${item.resolution.note}`}</Text> : null}
    </View>
  )
}

/** The quarterly 公开承诺 report: the figures by party, as the notice board's PDF prints them. */
function Report({ report }: { report: QuarterlyReport }) {
  const rows = [...report.parties, { party: 'total', ...report.total, label: '合计' }]
  return (
    <View className='mq-card' data-testid='board-report'>
      <Text className='mq-subtitle'>{`${report.label}公开承诺`}</Text>
      <View className='board-report'>
        <View className='board-report__row board-report__head'>
          {['责任方', '收到', '承诺', '办结', '按时', '满意'].map((h) => (
            <Text key={h} className={`mq-muted board-report__cell${h === '责任方' ? ' board-report__party' : ''}`}>{h}</Text>
          ))}
        </View>
        {rows.map((r) => {
          const satisfied = percent(r.satisfied, r.rated)
          return (
            <View key={r.party} className='board-report__row' data-testid={`board-report-${r.party}`}>
              <Text className='mq-text board-report__cell board-report__party'>{r.label}</Text>
              {[r.collected, r.committed, r.resolved, r.onTime].map((n, i) => (
                <Text key={i} className='mq-text board-report__cell'>{String(n)}</Text>
              ))}
              <Text className='mq-text board-report__cell'>{satisfied === null ? '—' : `${satisfied}%`}</Text>
            </View>
          )
        })}
      </View>
    </View>
  )
}

/** Adopted recurring problems: the owner (a role), the plan, the target date, the progress and the requests. */
function Problem({ problem }: { problem: PublicRecurring }) {
  return (
    <View className='mq-card board-problem' data-testid='board-problem'>
      <Text className='mq-subtitle'>{problem.title}</Text>
      <Text className='mq-text'>
        {`负责：${problem.ownerLabel} · 目标日期：`}
        <Text className='board-date'>{problem.targetDate}</Text>
      </Text>
      <Text className='mq-text'>{`计划：${problem.plan}`}</Text>
      {problem.progress.map((p) => (
        <Text key={p.id} className='mq-text' data-testid='board-problem-progress'>{`${day(p.at)} 进展：${p.note}`}</Text>
      ))}
      <Text className='mq-muted'>{`涉及 ${problem.requests.length} 件反映：${problem.requests.map((r) => r.number).join('、')}`}</Text>
    </View>
  )
}

/** 议事会决定: a joint meeting's decision, by the owning role, the target date and whether it is carried out. */
function Decision({ decision }: { decision: PublicMeetingDecision }) {
  const status = decision.status === 'open' && decision.overdue ? OVERDUE_DECISION_LABEL : DECISION_STATUS_LABELS[decision.status]
  return (
    <View className='mq-card board-decision' data-testid='board-decision' data-status={decision.status}>
      <Text className='mq-subtitle'>{`${MEETING_KIND_LABELS[decision.meetingKind]} · ${decision.meetingDate}`}</Text>
      <Text className='mq-text' data-testid='board-decision-summary'>{decision.publicSummary}</Text>
      <Text className='mq-text'>
        {`负责：${decision.ownerLabel} · 完成时限：`}
        <Text className='board-date'>{decision.targetDate}</Text>
      </Text>
      <Text className='mq-text' data-testid='board-decision-status'>{`状态：${status}`}</Text>
      {decision.doneNote ? <Text className='mq-text'>{`落实情况：${decision.doneNote}`}</Text> : null}
      <Text className='mq-muted'>{decision.requestNumber ? `${decision.meetingTitle} · 关于 ${decision.requestNumber}` : decision.meetingTitle}</Text>
    </View>
  )
}

/** 公示栏: what a compound received and resolved, open to anyone, without personal data. */
export function BoardPage() {
  const { params } = useRouter()
  const compoundId = params.compoundId ?? ''
  // The first page; 「加载更多」 appends the next ones (dropped when the first page is loaded again).
  const first = useResource(compoundId ? `board:${compoundId}` : null, () => getBoard(compoundId, 1), { refreshOnShow: false })
  const [more, setMore] = useState<{ of: unknown; page: number; items: BoardItem[] }>({ of: null, page: 1, items: [] })
  const extra = more.of === first.data ? more : { of: first.data, page: 1, items: [] }
  const loadMore = useMutation((page: number) => getBoard(compoundId, page))
  const report = useResource(compoundId ? `board-report:${compoundId}` : null, () => getBoardReport(compoundId), { refreshOnShow: false })

  const next = async () => {
    const page = await loadMore.run(extra.page + 1)
    if (page) setMore({ of: first.data, page: extra.page + 1, items: [...extra.items, ...page.items] })
  }

  return (
    <ResidentPage title='公示栏' testId='board-page' className='board'>
      <Loaded resource={first} rows={6}>
        {(board) => {
          const items = [...board.items, ...extra.items]
          return (
            <View>
              <Text className='mq-title' data-testid='board-compound'>{`${board.compoundName}公示栏`}</Text>
              <Counts title={`本月（${board.month}）`} counts={board.thisMonth} testId='board-month' />
              <Counts title='累计' counts={board.allTime} testId='board-all' />
              {report.data ? (
                <>
                  <Report report={report.data} />
                  {report.data.problems.length > 0 ? <Text className='mq-title' data-testid='board-problems'>重点问题</Text> : null}
                  {report.data.problems.map((problem) => (
                    <Problem key={problem.id} problem={problem} />
                  ))}
                </>
              ) : null}
              {board.decisions.length > 0 ? <Text className='mq-title' data-testid='board-decisions'>议事会决定</Text> : null}
              {board.decisions.map((decision) => (
                <Decision key={decision.id} decision={decision} />
              ))}
              <BoardNeeds compoundId={compoundId} />
              {items.length === 0 ? (
                <Nothing title='还没有居民反映的问题' testId='board-empty' />
              ) : (
                items.map((item) => <Item key={item.number} item={item} />)
              )}
              {loadMore.error ? <Text className='mq-field-error'>{loadMore.error.message || '没有加载出来，请再试一次'}</Text> : null}
              {items.length < board.total ? (
                <Button block size='large' className='mq-action' loading={loadMore.busy} onClick={() => void next()} data-testid='board-more'>
                  加载更多
                </Button>
              ) : null}
            </View>
          )
        }}
      </Loaded>
    </ResidentPage>
  )
}

export default BoardPage
