import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { residentDetailUrl, type TicketListItem } from '@mq/shared'
import { toApiError } from '@/api/client'
import { getMine } from '@/api/requests'
import { useNow } from '@/components/due'
import { RequestCard } from '@/components/request-card'
import { LoadError, ResidentPage } from '@/components/resident-page'
import './index.scss'

type Load = { kind: 'loading' } | { kind: 'ready'; items: TicketListItem[] } | { kind: 'failed'; message: string }

/** 我的反映: the requests I filed and the ones I follow (「我也遇到了」), newest first. */
export function MinePage() {
  const now = useNow()
  const [load, setLoad] = useState<Load>({ kind: 'loading' })
  const loaded = useRef(false)

  const refresh = useCallback(async () => {
    try {
      const page = await getMine()
      loaded.current = true
      setLoad({ kind: 'ready', items: page.items })
    } catch (error) {
      // Keep what is shown when a refresh fails; say so only when there is nothing yet.
      if (!loaded.current) setLoad({ kind: 'failed', message: toApiError(error).message })
    }
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])
  // Back from a request's page: its state may have changed (chased, rated).
  useDidShow(() => {
    if (loaded.current) void refresh()
  })
  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh())
  })

  let body
  if (load.kind === 'loading') {
    body = (
      <View className='mq-card'>
        <Text className='mq-text'>正在加载…</Text>
      </View>
    )
  } else if (load.kind === 'failed') {
    body = <LoadError message={load.message} onRetry={() => void refresh()} />
  } else if (load.items.length === 0) {
    body = (
      <View className='mq-card' data-testid='mine-empty'>
        <Text className='mq-subtitle'>还没有反映过问题</Text>
        <Text className='mq-text'>扫一扫楼道里的「民情二维码」，点「我要反映问题」就能反映；看到别人反映过的同一件事，点「我也遇到了」，也会出现在这里。</Text>
      </View>
    )
  } else {
    const mine = load.items.filter((t) => t.relation === 'reporter').length
    body = (
      <View data-testid='mine-list'>
        <Text className='mq-muted mine-summary'>{`我反映的 ${mine} 件 · 我关注的 ${load.items.length - mine} 件`}</Text>
        {load.items.map((ticket) => (
          <RequestCard
            key={ticket.id}
            ticket={ticket}
            now={now}
            tag={ticket.relation === 'reporter' ? '我反映的' : '我关注的'}
            onOpen={() => void Taro.navigateTo({ url: residentDetailUrl(ticket.id) })}
            testId='mine-item'
          />
        ))}
      </View>
    )
  }

  return (
    <ResidentPage title='我的反映' testId='mine-page' className='mine'>
      {body}
      <Button className='mq-button' onClick={() => void refresh()} data-testid='mine-refresh'>
        刷新
      </Button>
    </ResidentPage>
  )
}

export default MinePage
