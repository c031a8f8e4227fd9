import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { Board, BoardCounts, BoardItem } from '@mq/shared'
import { getBoard } from '@/api/board'
import { toApiError } from '@/api/client'
import { categoryLabel } from '@/components/category'
import { LoadError, ResidentPage } from '@/components/resident-page'
import { StateBadge } from '@/components/state-badge'
import { localDateTime } from '@mq/shared'
import './index.scss'

type Load =
  | { kind: 'loading' }
  | { kind: 'ready'; board: Board; items: BoardItem[]; page: number }
  | { kind: 'failed'; message: string }

const day = (at: string) => localDateTime(at).slice(0, 10)

function Counts({ title, counts, testId }: { title: string; counts: BoardCounts; testId: string }) {
  const cells: [string, string][] = [
    ['收到', String(counts.received)],
    ['已受理', String(counts.accepted)],
    ['已承诺', String(counts.committed)],
    ['已办结', String(counts.resolved)],
    ['已销号', String(counts.closed)],
    ['按时办结', String(counts.onTime)],
  ]
  return (
    <View className='mq-card' data-testid={testId}>
      <Text className='mq-subtitle'>{title}</Text>
      <View className='board-counts'>
        {cells.map(([label, value]) => (
          <View key={label} className='board-count'>
            <Text className='board-count__value'>{value}</Text>
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

/** 公示栏: what a compound received and resolved, open to anyone, without personal data. */
export function BoardPage() {
  const { params } = useRouter()
  const compoundId = params.compoundId ?? ''
  const [load, setLoad] = useState<Load>({ kind: 'loading' })

  const fetchPage = useCallback(
    async (page: number, before: BoardItem[]) => {
      try {
        const board = await getBoard(compoundId, page)
        setLoad({ kind: 'ready', board, items: [...before, ...board.items], page })
      } catch (error) {
        setLoad({ kind: 'failed', message: toApiError(error).message })
      }
    },
    [compoundId],
  )

  useEffect(() => {
    void fetchPage(1, [])
  }, [fetchPage])

  let body
  if (load.kind === 'loading') {
    body = (
      <View className='mq-card'>
        <Text className='mq-text'>正在加载…</Text>
      </View>
    )
  } else if (load.kind === 'failed') {
    body = <LoadError message={load.message} onRetry={() => void fetchPage(1, [])} />
  } else {
    const { board, items, page } = load
    body = (
      <View>
        <Text className='mq-subtitle' data-testid='board-compound'>{`${board.compoundName}公示栏`}</Text>
        <Counts title={`本月（${board.month}）`} counts={board.thisMonth} testId='board-month' />
        <Counts title='累计' counts={board.allTime} testId='board-all' />
        {items.length === 0 ? (
          <View className='mq-card' data-testid='board-empty'>
            <Text className='mq-text'>还没有居民反映的问题。</Text>
          </View>
        ) : (
          items.map((item) => (
            <View key={item.number} className='mq-card board-item' data-testid='board-item'>
              <Text className='mq-subtitle'>{`${categoryLabel(item.category)} · ${item.buildingName}`}</Text>
              <StateBadge state={item.state} reopened={item.reopened} />
              <Text className='mq-text board-item__line' data-testid='board-item-text'>
                {item.publicText}
              </Text>
              <Text className='mq-muted board-item__line'>{`${item.number} · ${day(item.createdAt)} 收到`}</Text>
              {item.promise ? (
                <Text className='mq-text board-item__line'>
                  {`承诺：${item.promise.plan}（${day(item.promise.promisedAt)} 前办结）`}
                </Text>
              ) : null}
              {item.resolution ? (
                <Text className='mq-text board-item__line'>{`办理结果：${item.resolution.note}`}</Text>
              ) : null}
            </View>
          ))
        )}
        {items.length < board.total ? (
          <Button className='mq-button' data-testid='board-more' onClick={() => void fetchPage(page + 1, items)}>
            加载更多
          </Button>
        ) : null}
      </View>
    )
  }

  return (
    <ResidentPage title='公示栏' testId='board-page' className='board'>
      {body}
    </ResidentPage>
  )
}

export default BoardPage
