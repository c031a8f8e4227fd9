import { useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { NEED_DESCRIPTION_MAX, NEED_TITLE_MAX, type MyNeeds, type PublicNeed } from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { myNeeds, proposeNeed, publicNeeds, supportNeed } from '@/api/needs'
import { ResidentPage } from '@/components/resident-page'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Loaded, Nothing } from '@/ui/states'
import { NeedItem } from './need-item'
import './need-item.scss'
import './index.scss'

function ProposeForm({ token, room, onDone }: { token: string; room: string; onDone: (need: PublicNeed) => void }) {
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const send = useMutation(() => proposeNeed({ unitToken: token, title, description, room: room.trim() || null }))
  const submit = async () => {
    const need = await send.run()
    if (need) onDone(need)
  }
  return (
    <View className='mq-card' data-testid='need-form'>
      <Text className='mq-subtitle'>您希望小区里增加或改进什么？</Text>
      <Input
        className='needs-input'
        value={title}
        maxLength={NEED_TITLE_MAX}
        placeholder='例如：增设电动自行车充电桩'
        onChange={setTitle}
        data-testid='need-form-title'
      />
      <Text className='mq-muted'>具体说说（可选）</Text>
      <TextArea
        value={description}
        maxLength={NEED_DESCRIPTION_MAX}
        rows={4}
        placeholder='比如：楼下没有地方充电，很多人把车推上楼。'
        onChange={setDescription}
        data-testid='need-form-description'
      />
      <Text className='mq-muted'>您写的内容会公开给邻居看，请不要写姓名、电话和门牌号。</Text>
      {send.error ? (
        <Text className='mq-field-error' data-testid='need-form-error'>
          {fieldMessage(send.error)}
        </Text>
      ) : null}
      <Button type='primary' size='large' block className='mq-action' loading={send.busy} onClick={() => void submit()} data-testid='need-form-submit'>
        提交需求
      </Button>
    </View>
  )
}

function SupportButton({ need, supported, token, room, onSupported }: {
  need: PublicNeed
  supported: boolean
  token: string
  room: string
  onSupported: (need: PublicNeed) => void
}) {
  const support = useMutation(() => supportNeed(need.id, { unitToken: token, room: room.trim() || null }))
  if (supported) {
    return (
      <Button block className='mq-action' disabled data-testid='need-supported'>
        已支持
      </Button>
    )
  }
  const finished = need.status === 'done' || need.status === 'not_feasible'
  if (finished) return null
  return (
    <>
      {support.error ? (
        <Text className='mq-field-error' data-testid='need-support-error'>
          {fieldMessage(support.error)}
        </Text>
      ) : null}
      <Button
        block
        className='mq-action'
        loading={support.busy}
        onClick={() =>
          void support.run().then((result) => {
            if (result) onSupported({ ...need, supportCount: result.supportCount })
          })
        }
        data-testid='need-support'
      >
        我也需要（+1）
      </Button>
    </>
  )
}

/**
 * 居民需求: a compound's needs (a meal service, a bicycle shed, charging points…), each with its status and
 * how many households support it. From a stairwell code (`token`) a resident proposes one or taps +1,
 * counted once per household; the room, when given, says which household and is never shown.
 */
export function NeedsPage() {
  const { params } = useRouter()
  const compoundId = params.compoundId ?? ''
  const token = params.token ?? ''
  const list = useResource(compoundId ? `needs:${compoundId}` : null, () => publicNeeds(compoundId))
  const mine = useResource<MyNeeds>(compoundId && token ? `needs-mine:${compoundId}` : null, () => myNeeds(compoundId))
  const [proposing, setProposing] = useState(false)
  const [room, setRoom] = useState('')
  const [notice, setNotice] = useState<string | null>(null)

  const marked = new Set([...(mine.data?.supported ?? []), ...(mine.data?.proposed ?? [])])
  const replace = (need: PublicNeed) => {
    if (list.data) list.setData({ ...list.data, needs: list.data.needs.map((n) => (n.id === need.id ? need : n)) })
    mine.setData({ supported: [...(mine.data?.supported ?? []), need.id], proposed: mine.data?.proposed ?? [] })
  }

  if (!compoundId) {
    return (
      <ResidentPage title='居民需求' testId='needs-page'>
        <Nothing title='请先扫描楼道里的二维码' description='扫码后就能看到小区的居民需求，也可以提出您的需求。' />
      </ResidentPage>
    )
  }

  return (
    <ResidentPage title='居民需求' testId='needs-page' className='needs'>
      <Loaded resource={list} rows={4}>
        {(data) => (
          <View>
            <Text className='mq-title' data-testid='needs-compound'>{`${data.compoundName}居民需求`}</Text>
            <View className='mq-card'>
              <Text className='mq-text'>
                小区里缺什么、希望办什么，比如老年助餐、自行车棚、充电桩，都可以提出来。邻居点「我也需要」支持，每户算一次；工作人员会公开处理进展。
              </Text>
              {token ? (
                <>
                  <Text className='mq-muted'>您家房号（可选，同一户只算一次，不会公开）</Text>
                  <Input className='needs-input' value={room} maxLength={20} placeholder='例如：502' onChange={setRoom} data-testid='needs-room' />
                </>
              ) : (
                <Text className='mq-muted'>扫描楼道里的二维码后，可以提出需求或表示支持。</Text>
              )}
            </View>
            {notice ? (
              <View className='mq-card mq-notice mq-notice--ok' data-testid='needs-notice'>
                <Text className='mq-text'>{notice}</Text>
              </View>
            ) : null}
            {token && !proposing ? (
              <Button type='primary' size='large' block className='mq-action' onClick={() => setProposing(true)} data-testid='needs-propose'>
                提个需求
              </Button>
            ) : null}
            {token && proposing ? (
              <ProposeForm
                token={token}
                room={room}
                onDone={(need) => {
                  setProposing(false)
                  setNotice('已提交，您的需求已公开，邻居可以表示支持。')
                  list.setData({ ...data, needs: [need, ...data.needs] })
                  mine.setData({ supported: [...(mine.data?.supported ?? []), need.id], proposed: [...(mine.data?.proposed ?? []), need.id] })
                }}
              />
            ) : null}
            {data.needs.length === 0 ? (
              <Nothing title='还没有居民需求' description='您可以提出第一个。' testId='needs-empty' />
            ) : (
              data.needs.map((need) => (
                <NeedItem key={need.id} need={need}>
                  {token ? (
                    <SupportButton need={need} supported={marked.has(need.id)} token={token} room={room} onSupported={replace} />
                  ) : null}
                </NeedItem>
              ))
            )}
          </View>
        )}
      </Loaded>
    </ResidentPage>
  )
}

export default NeedsPage
