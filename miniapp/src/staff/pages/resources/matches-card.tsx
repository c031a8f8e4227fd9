import { useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  MATCH_NOTE_MAX,
  MATCH_STATUS_LABELS,
  RESOURCE_KIND_LABELS,
  ROLE_LABELS,
  type MatchSubject,
  type ResourceMatch,
} from '@mq/shared'
import { resourceMatches, tickMatch } from '@/api/resources'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Tag } from '@/ui/parts'
import { ErrorNote, Kv } from '../../components/parts'
import { MatchResourcesLink } from './match-link'

/** Who answers for a match: the person, or the role. */
export function ownerText(match: ResourceMatch): string {
  if (match.owner.name) return `${match.owner.name}${match.owner.role ? `（${ROLE_LABELS[match.owner.role]}）` : ''}`
  return match.owner.role ? ROLE_LABELS[match.owner.role] : '—'
}

function Tick({ match, onDone }: { match: ResourceMatch; onDone: () => void }) {
  const [note, setNote] = useState('')
  const tick = useMutation(() => tickMatch(match.id, note))
  return (
    <View className='st-stack'>
      <TextArea value={note} maxLength={MATCH_NOTE_MAX} placeholder='办结说明，例如：已上门理发' onChange={setNote} data-testid='match-done-note' />
      {tick.error ? <ErrorNote message={tick.error.message || '没有销号成功，请再试一次'} requestId={tick.error.requestId} /> : null}
      <Button block type='primary' loading={tick.busy} onClick={() => void tick.run().then((ok) => ok && onDone())} data-testid='match-done'>
        销号
      </Button>
    </View>
  )
}

export function MatchItem({ match, onChanged }: { match: ResourceMatch; onChanged: () => void }) {
  return (
    <View className='st-stack' data-testid='match-item' data-status={match.status}>
      <View className='st-row'>
        <Text className='st-text'>{`${RESOURCE_KIND_LABELS[match.resource.kind]} · ${match.resource.name}`}</Text>
        <Tag tone={match.status === 'done' ? 'ok' : match.overdue ? 'danger' : 'primary'} testId='match-status'>
          {match.status === 'open' && match.overdue ? '已逾期' : MATCH_STATUS_LABELS[match.status]}
        </Tag>
      </View>
      <Kv k='负责' testId='match-owner'>{ownerText(match)}</Kv>
      <Kv k='目标日期' testId='match-target'>{match.targetDate}</Kv>
      {match.note ? <Kv k='说明'>{match.note}</Kv> : null}
      {match.status === 'done' ? <Kv k='办结' testId='match-done-text'>{`${match.doneBy?.name ?? ''}：${match.doneNote ?? ''}`}</Kv> : null}
      {match.canTick ? <Tick match={match} onDone={onChanged} /> : null}
    </View>
  )
}

/**
 * The resources set to work on a request or a need (匹配资源), for staff who see it: each with its owner,
 * target date and 销号; and the way to the resources list to match more.
 */
export function ResourceMatchesCard({ subject, subjectId }: { subject: MatchSubject; subjectId: string }) {
  const matches = useResource(`resource-matches:${subject}:${subjectId}`, () => resourceMatches(subject, subjectId))
  const data = matches.data
  // Callers who may not see matches here (an admin) simply do not get the card.
  if (!data || (data.items.length === 0 && !data.canMatch)) return null
  return (
    <Card title='匹配资源' extra={<Tag tone='plain'>{`${data.items.length} 项`}</Tag>} testId='resource-matches'>
      {data.items.length === 0 ? <Text className='st-hint'>还没有匹配资源。可从资源清单中选择单位、志愿者或场地来办。</Text> : null}
      {data.items.map((m) => (
        <MatchItem key={m.id} match={m} onChanged={() => void matches.reload()} />
      ))}
      {data.canMatch ? <MatchResourcesLink subject={subject} subjectId={subjectId} /> : null}
    </Card>
  )
}
