import { useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  NEED_DESCRIPTION_MAX,
  NEED_REASON_MAX,
  NEED_SOURCE_LABELS,
  NEED_STATUS_LABELS,
  NEED_TITLE_MAX,
  NEED_TRANSITIONS,
  localDateTime,
  type NeedStatus,
  type StaffNeed,
  type StaffNeedList,
} from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { enterNeed, setNeedStatus, staffNeeds } from '@/api/needs'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Tag, type TagTone } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { ErrorNote, Field } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { MatchResourcesLink } from '../resources/match-link'
import './index.scss'

const TONES: Record<NeedStatus, TagTone> = {
  collecting: 'warn',
  planned: 'primary',
  in_progress: 'primary',
  done: 'ok',
  not_feasible: 'plain',
}

/** What the button for each next status says. */
const MOVE_LABELS: Record<NeedStatus, string> = {
  collecting: '退回征集',
  planned: '列入计划',
  in_progress: '开始实施',
  done: '已完成',
  not_feasible: '暂不可行',
}

function NeedCard({ need, onChanged }: { need: StaffNeed; onChanged: (need: StaffNeed) => void }) {
  const [reason, setReason] = useState('')
  const [askReason, setAskReason] = useState(false)
  const move = useMutation((status: NeedStatus) => setNeedStatus(need.id, { status, reason: status === 'not_feasible' ? reason : null }))
  const go = async (status: NeedStatus) => {
    if (status === 'not_feasible' && !askReason) {
      setAskReason(true)
      return
    }
    const next = await move.run(status)
    if (next) {
      setAskReason(false)
      setReason('')
      onChanged(next)
    }
  }
  const moves = NEED_TRANSITIONS[need.status]
  return (
    <Card
      title={need.title}
      extra={<Tag tone={TONES[need.status]} testId='staff-need-status'>{NEED_STATUS_LABELS[need.status]}</Tag>}
      testId='staff-need'
      data-need-id={need.id}
      data-status={need.status}
    >
      {need.publicText ? <Text className='st-text'>{need.publicText}</Text> : null}
      <Text className='st-hint' data-testid='staff-need-count'>
        {`${need.supportCount} 户支持 · ${NEED_SOURCE_LABELS[need.source]}${need.unitLabel ? ` · ${need.unitLabel}` : ''} · ${localDateTime(need.createdAt).slice(0, 10)}`}
      </Text>
      {need.status === 'not_feasible' && need.reason ? <Text className='st-text'>{`公示原因：${need.reason}`}</Text> : null}
      {askReason ? (
        <Field label='暂不可行的原因' hint='会在公示栏公开，请不要写居民的姓名、电话和门牌号'>
          <TextArea value={reason} maxLength={NEED_REASON_MAX} onChange={setReason} data-testid='staff-need-reason' />
        </Field>
      ) : null}
      {move.error ? <ErrorNote message={fieldMessage(move.error)} requestId={move.error.requestId} /> : null}
      {moves.length > 0 ? (
        <View className='staff-needs__moves'>
          {moves.map((status) => (
            <Button
              key={status}
              type={status === 'not_feasible' || status === 'collecting' ? 'default' : 'primary'}
              loading={move.busy}
              onClick={() => void go(status)}
              data-testid={`staff-need-to-${status}`}
            >
              {askReason && status === 'not_feasible' ? '确认暂不可行' : MOVE_LABELS[status]}
            </Button>
          ))}
        </View>
      ) : null}
      <MatchResourcesLink subject='need' subjectId={need.id} compoundId={need.compoundId} />
    </Card>
  )
}

/** Staff enter a need for a resident (by phone, at the desk): counted as 工作人员代录, nobody's household. */
function EnterForm({ compounds, onDone }: { compounds: StaffNeedList['compounds']; onDone: (need: StaffNeed) => void }) {
  const [compoundId, setCompoundId] = useState(compounds.length === 1 ? compounds[0].id : '')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const enter = useMutation(() => enterNeed({ compoundId, title, description }))
  const submit = async () => {
    const need = await enter.run()
    if (need) {
      setTitle('')
      setDescription('')
      onDone(need)
    }
  }
  return (
    <Card title='代录需求' testId='staff-need-form'>
      {compounds.length > 1 ? (
        <Field label='小区'>
          <Choices value={compoundId} onPick={setCompoundId} choices={compounds.map((c) => ({ value: c.id, label: c.name }))} />
        </Field>
      ) : null}
      <Field label='需求'>
        <Input className='staff-needs__input' value={title} maxLength={NEED_TITLE_MAX} placeholder='例如：老年助餐点' onChange={setTitle} data-testid='staff-need-title' />
      </Field>
      <Field label='说明' optional hint='会公开，姓名、电话、门牌号会自动隐去'>
        <TextArea value={description} maxLength={NEED_DESCRIPTION_MAX} onChange={setDescription} data-testid='staff-need-description' />
      </Field>
      {enter.error ? <ErrorNote message={fieldMessage(enter.error)} requestId={enter.error.requestId} /> : null}
      <Button block type='primary' size='large' loading={enter.busy} disabled={!compoundId} onClick={() => void submit()} data-testid='staff-need-submit'>
        保存需求
      </Button>
    </Card>
  )
}

function Body() {
  const list = useResource('staff-needs', staffNeeds)
  const [entering, setEntering] = useState(false)
  return (
    <Loaded resource={list} rows={4}>
      {(data) => {
        const replace = (need: StaffNeed) =>
          list.setData({ ...data, needs: data.needs.some((n) => n.id === need.id) ? data.needs.map((n) => (n.id === need.id ? need : n)) : [need, ...data.needs] })
        return (
          <View>
            <Text className='st-h1'>居民需求清单</Text>
            <Text className='st-hint'>
              居民提出、邻居支持（每户一次）的需求。状态和「暂不可行」的原因会在公示栏公开；提出人和支持人不公开。
            </Text>
            {data.compounds.length === 0 ? (
              <Nothing title='没有您负责的小区' description='居民需求由小区的各位「长」和小区书记处理。' />
            ) : entering ? (
              <EnterForm
                compounds={data.compounds}
                onDone={(need) => {
                  setEntering(false)
                  replace(need)
                }}
              />
            ) : (
              <Button block size='large' className='staff-needs__enter' onClick={() => setEntering(true)} data-testid='staff-need-enter'>
                代录需求
              </Button>
            )}
            {data.needs.length === 0 && data.compounds.length > 0 ? <Nothing title='还没有居民需求' testId='staff-needs-empty' /> : null}
            {data.needs.map((need) => (
              <View key={need.id}>
                {data.compounds.length > 1 ? <Text className='st-hint'>{need.compoundName}</Text> : null}
                <NeedCard need={need} onChanged={replace} />
              </View>
            ))}
          </View>
        )
      }}
    </Loaded>
  )
}

/** 居民需求清单 of the compounds the caller handles: counts, statuses and the moves between them. */
export function StaffNeedsPage() {
  return (
    <StaffFrame title='居民需求' testId='staff-needs-page'>
      {() => <Body />}
    </StaffFrame>
  )
}

export default StaffNeedsPage
