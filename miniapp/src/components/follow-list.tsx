import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { residentDetailUrl, type PublicRequest } from '@mq/shared'
import { followRequest, getMine } from '@/api/requests'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { RequestCard } from './request-card'
import { useNow } from './due'

type Relation = 'reporter' | 'follower'

/** Which requests the resident reported or follows (from 我的反映), loaded once when there are some. */
function useRelations(active: boolean): Map<string, Relation> {
  // Not knowing only means every row offers 「我也遇到了」; following twice is harmless.
  const mine = useResource(active ? 'mine:relations' : null, getMine, { refreshOnShow: false })
  const map = new Map<string, Relation>()
  for (const item of mine.data?.items ?? []) if (item.relation === 'reporter' || item.relation === 'follower') map.set(item.id, item.relation)
  return map
}

/**
 * Open requests nearby, as the public sees them (their public text, never the reporter's raw words), with
 * 「我也遇到了」 (+1): following one tells the resident of its progress and adds
 * weight to it, instead of filing the same problem again. `token` is the stairwell QR code the page was
 * opened with; the server accepts a follow only for a request of that code's building.
 */
export function FollowList({
  items,
  token,
  testId,
}: {
  items: readonly PublicRequest[]
  token: string
  testId: string
}) {
  const now = useNow()
  const known = useRelations(items.length > 0)
  const [followed, setFollowed] = useState(() => new Map<string, number>())
  // The row the last follow was for: its button waits, its error shows under it.
  const [target, setTarget] = useState<string | null>(null)
  const follow = useMutation((id: string) => followRequest(id, token))

  const tap = async (id: string) => {
    setTarget(id)
    const view = await follow.run(id)
    if (view) setFollowed((m) => new Map(m).set(id, view.followerCount))
  }

  return (
    <View data-testid={testId}>
      {items.map((ticket) => {
        const relation = known.get(ticket.id) ?? (followed.has(ticket.id) ? 'follower' : null)
        const count = followed.get(ticket.id) ?? ticket.followerCount
        const open = () => void Taro.navigateTo({ url: residentDetailUrl(ticket.id) })
        const mine = target === ticket.id
        return (
          <RequestCard
            key={ticket.id}
            ticket={{ ...ticket, followerCount: count }}
            now={now}
            tag={relation === 'reporter' ? '我反映的' : relation === 'follower' ? '我已关注' : null}
            onOpen={relation ? open : undefined}
            testId='follow-item'
          >
            {relation === 'reporter' ? null : relation === 'follower' ? (
              <Button block fill='outline' type='success' className='mq-action' onClick={open} data-testid='follow-done'>
                已关注 · 有进展会告诉您
              </Button>
            ) : (
              <Button
                block
                fill='outline'
                type='primary'
                className='mq-action'
                loading={mine && follow.busy}
                onClick={() => void tap(ticket.id)}
                data-testid='follow-button'
              >
                我也遇到了（+1）
              </Button>
            )}
            {mine && follow.error ? (
              <Text className='mq-field-error'>{follow.error.message || '没有成功，请再试一次'}</Text>
            ) : null}
          </RequestCard>
        )
      })}
    </View>
  )
}
