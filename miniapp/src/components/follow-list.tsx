import { useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { residentDetailUrl, type PublicRequest } from '@mq/shared'
import { toApiError } from '@/api/client'
import { followRequest, getMine } from '@/api/requests'
import { RequestCard } from './request-card'
import { useNow } from './due'

type Relation = 'reporter' | 'follower'

/** Which of `ids` the resident reported or follows (from 我的反映), loaded once. */
function useRelations(active: boolean): Map<string, Relation> {
  const [relations, setRelations] = useState(() => new Map<string, Relation>())
  useEffect(() => {
    if (!active) return undefined
    let current = true
    getMine().then(
      (page) => {
        if (!current) return
        const map = new Map<string, Relation>()
        for (const item of page.items) if (item.relation === 'reporter' || item.relation === 'follower') map.set(item.id, item.relation)
        setRelations(map)
      },
      () => {
        // Not knowing only means every row offers 「我也遇到了」; following twice is harmless.
      },
    )
    return () => {
      current = false
    }
  }, [active])
  return relations
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
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<{ id: string; message: string } | null>(null)

  const follow = (id: string) => {
    setBusy(id)
    setError(null)
    followRequest(id, token).then(
      (view) => {
        setFollowed((m) => new Map(m).set(id, view.followerCount))
        setBusy(null)
      },
      (e: unknown) => {
        setError({ id, message: toApiError(e).message || '没有成功，请再试一次' })
        setBusy(null)
      },
    )
  }

  return (
    <View data-testid={testId}>
      {items.map((ticket) => {
        const relation = known.get(ticket.id) ?? (followed.has(ticket.id) ? 'follower' : null)
        const count = followed.get(ticket.id) ?? ticket.followerCount
        const open = () => void Taro.navigateTo({ url: residentDetailUrl(ticket.id) })
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
              <Button className='mq-button mq-button--small mq-button--done' onClick={open} data-testid='follow-done'>
                已关注 · 有进展会告诉您
              </Button>
            ) : (
              <Button
                className='mq-button mq-button--small'
                disabled={busy === ticket.id || undefined}
                onClick={() => follow(ticket.id)}
                data-testid='follow-button'
              >
                我也遇到了（+1）
              </Button>
            )}
            {error?.id === ticket.id ? <Text className='mq-field-error'>{error.message}</Text> : null}
          </RequestCard>
        )
      })}
    </View>
  )
}
