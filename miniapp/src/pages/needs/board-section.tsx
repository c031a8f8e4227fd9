import { Text, View } from '@tarojs/components'
import { publicNeeds } from '@/api/needs'
import { useResource } from '@/data/resource'
import { NeedItem } from './need-item'
import './need-item.scss'

/** The board's 居民需求: every need of the compound with its status and support count (nothing when none). */
export function BoardNeeds({ compoundId }: { compoundId: string }) {
  const needs = useResource(compoundId ? `needs:${compoundId}` : null, () => publicNeeds(compoundId), { refreshOnShow: false })
  const list = needs.data?.needs ?? []
  if (list.length === 0) return null
  return (
    <View data-testid='board-needs'>
      <Text className='mq-title'>居民需求</Text>
      {list.map((need) => (
        <NeedItem key={need.id} need={need} />
      ))}
    </View>
  )
}
