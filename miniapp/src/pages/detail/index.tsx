import { useEffect, useState } from 'react'
import { Cell, CellGroup } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  PAGES, pageUrl, residentDetailUrl,
  ROLE_LABELS,
  SEVERITY_LABELS,
  isOpen,
  residentState,
  type CategoryCode,
  type RateTicketInput,
  type TicketView,
} from '@mq/shared'
import { chaseRequest, getRequest, rateRequest } from '@/api/requests'
import { CategoryIcon, categoryLabel } from '@/components/category'
import { ChaseButton } from '@/components/chase-button'
import { dueInfo, friendlyTime, promiseText, useNow } from '@/components/due'
import { DueLine } from '@/components/due-line'
import { RatingForm } from '@/components/rating-form'
import { ResidentPage } from '@/components/resident-page'
import { StateBadge } from '@/components/state-badge'
import { CAN_SUBSCRIBE, askToSubscribe, subscribableTemplates } from '@/components/subscribe'
import { MessageBox } from '@/components/message-box'
import { BeforeAfter } from '@/components/before-after'
import { TicketPhotos } from '@/components/ticket-photos'
import { Thread, threadOf } from '@/components/thread'
import { Timeline } from '@/components/timeline'
import { WithdrawCard } from '@/components/withdraw-card'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Loaded, Nothing } from '@/ui/states'
import './index.scss'

/** Right after filing, in WeChat: ask (from a tap, as WeChat requires) to be told of progress. */
function SubscribeCard() {
  const [templates, setTemplates] = useState<string[]>([])
  const [done, setDone] = useState<string | null>(null)
  useEffect(() => {
    subscribableTemplates().then(setTemplates, () => setTemplates([]))
  }, [])
  if (!CAN_SUBSCRIBE || templates.length === 0) return null
  return (
    <View className='mq-card mq-notice' data-testid='detail-subscribe'>
      <Text className='mq-subtitle'>要不要接收办理进度提醒？</Text>
      <Text className='mq-text'>受理、答复、办结时，微信会给您发一条消息。</Text>
      {done ? (
        <Text className='mq-text detail-subscribe__done'>{done}</Text>
      ) : (
        <Button
          type='primary'
          size='large'
          block
          className='mq-action'
          onClick={() => {
            askToSubscribe(templates).then(
              (n) => setDone(n > 0 ? '好的，有进展会通过微信通知您。' : '没有开启提醒，您可以随时在「我的反映」里查看进度。'),
              () => setDone('没有开启提醒，您可以随时在「我的反映」里查看进度。'),
            )
          }}
        >
          接收提醒
        </Button>
      )}
    </View>
  )
}

/** A label and its value, as a kit cell. */
function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <View className='detail-row' data-testid={testId}>
      <Cell title={label} extra={value} align='center' />
    </View>
  )
}

/**
 * The kind of problem and, while it is open, what it was promised by the deadline the server set (a
 * simple request filed after the day's cut-off is due tomorrow, not today).
 */
function severityText(view: TicketView, now: number): string {
  const label = SEVERITY_LABELS[view.severity]
  const promise =
    view.severity === 'simple'
      ? view.resolveBy && { owed: 'resolve' as const, by: view.resolveBy }
      : view.replyBy && { owed: 'reply' as const, by: view.replyBy }
  return isOpen(view.state) && promise ? `${label} · ${promiseText(promise, now)}` : label
}

/** The question staff asked when they set the request to 待居民补充 (the latest one). */
function waitingQuestion(view: TicketView): string | null {
  const entry = [...view.timeline].reverse().find((e) => e.type === 'waiting')
  const question = entry?.data.question
  return typeof question === 'string' ? question : null
}

function Detail({
  view,
  now,
  filed,
  onChange,
}: {
  view: TicketView
  now: number
  filed: boolean
  onChange: (view: TicketView) => void
}) {
  const [chased, setChased] = useState(false)
  const commands = view.viewer.commands
  const due = isOpen(view.state) ? dueInfo(view, now) : null
  const handler = view.handlerRole
    ? `${ROLE_LABELS[view.handlerRole]}${view.handlerName ? ` ${view.handlerName}` : ''}`
    : '正在安排'

  const chaseIt = useMutation(() => chaseRequest(view.id))
  const rateIt = useMutation((input: RateTicketInput) => rateRequest(view.id, input))

  const chase = async () => {
    setChased(false)
    const next = await chaseIt.run()
    if (next) {
      onChange(next)
      setChased(true)
      void Taro.showToast({ title: '已催办', icon: 'success' })
    } else {
      // The server knows the next allowed time (429): show it.
      getRequest(view.id).then(onChange, () => undefined)
    }
  }

  const rate = async (input: RateTicketInput) => {
    const next = await rateIt.run(input)
    if (next) onChange(next)
  }

  const chaseMessage = chaseIt.error
    ? chaseIt.error.message || '没有催成功，请稍后再试'
    : chased
      ? '已催办，负责人会收到提醒。'
      : null

  const question = view.state === 'waiting_resident' ? waitingQuestion(view) : null
  const reporter = view.viewer.relation === 'reporter'
  const words = residentState(view, reporter ? 'reporter' : 'other')
  const thread = threadOf(view.timeline)
  const writes = commands.includes('message')

  return (
    <View data-testid='detail-view' data-state={view.state}>
      {filed ? (
        <View className='mq-card mq-notice mq-notice--ok' data-testid='detail-filed'>
          <Text className='mq-subtitle'>提交成功</Text>
          <Text className='mq-text'>{`编号 ${view.number}，已派给${handler}。处理进度可以随时在这里查看。`}</Text>
        </View>
      ) : null}
      {filed ? <SubscribeCard /> : null}

      <View className='mq-card' data-testid='detail-summary'>
        <View className='detail-head'>
          <CategoryIcon code={view.category as CategoryCode} />
          <View className='detail-head__text'>
            <Text className='mq-subtitle detail-head__title'>{categoryLabel(view.category)}</Text>
            <Text className='mq-muted'>{view.number}</Text>
          </View>
          <StateBadge state={view.state} reopened={view.reopened} relation={reporter ? 'reporter' : 'other'} />
        </View>
        {words.next ? (
          <Text className='mq-text detail-next' data-testid='detail-next'>
            {words.next}
          </Text>
        ) : null}
        <Text className='mq-text detail-desc' data-testid='detail-description'>
          {view.description}
        </Text>
        {view.photos.report.length > 0 ? <TicketPhotos refs={view.photos.report} testId='detail-report-photos' /> : null}
        <CellGroup className='detail-rows'>
          <Row label='位置' value={`${view.compoundName} ${view.buildingName} ${view.unitName}`} />
          <Row label='提交时间' value={friendlyTime(view.createdAt, now)} />
          <Row label='问题类型' value={severityText(view, now)} testId='detail-severity' />
          {view.viewer.relation === 'follower' ? <Row label='我' value='也遇到了（已关注）' /> : null}
          {view.followerCount > 0 ? <Row label='也遇到了' value={`${view.followerCount} 人`} /> : null}
        </CellGroup>
      </View>

      <View className='mq-card' data-testid='detail-handler'>
        <Text className='mq-subtitle'>谁在处理</Text>
        <CellGroup className='detail-rows'>
          <Row label='负责人' value={handler} testId='detail-handler-name' />
          {view.coHandlers.length > 0 ? (
            <Row label='协办' value={view.coHandlers.map((c) => `${ROLE_LABELS[c.role]} ${c.name}`).join('、')} />
          ) : null}
        </CellGroup>
        {due ? <DueLine due={due} big testId='detail-due' countdownTestId='detail-countdown' /> : null}
        {view.state === 'waiting_resident' ? (
          <Text className='mq-text detail-paused'>
            {reporter ? '工作人员在等您补充情况，计时暂停；您回复后马上继续。' : '工作人员在等反映人补充情况，计时暂停。'}
          </Text>
        ) : null}
      </View>

      {question ? (
        <View className='mq-card mq-notice mq-notice--warn' data-testid='detail-question'>
          <Text className='mq-subtitle'>{reporter ? '工作人员想请您补充' : '工作人员在等反映人补充'}</Text>
          <Text className='mq-text'>{question}</Text>
          {reporter && writes ? <MessageBox ticketId={view.id} answering onSent={onChange} /> : null}
        </View>
      ) : null}

      {thread.length > 0 || (writes && !question) ? (
        <View className='mq-card' data-testid='detail-thread'>
          <Text className='mq-subtitle'>和工作人员的沟通</Text>
          {thread.length > 0 ? (
            <Thread ticketId={view.id} events={thread} now={now} />
          ) : (
            <Text className='mq-muted'>还没有留言。</Text>
          )}
          {writes && !question ? (
            <>
              <Text className='mq-subtitle detail-thread__add'>补充说明</Text>
              <MessageBox ticketId={view.id} answering={false} onSent={onChange} />
            </>
          ) : null}
        </View>
      ) : null}

      {commands.includes('withdraw') ? <WithdrawCard ticketId={view.id} onWithdrawn={onChange} /> : null}

      {view.promise ? (
        <View className='mq-card mq-notice' data-testid='detail-promise'>
          <Text className='mq-subtitle'>公开承诺</Text>
          <Text className='mq-text'>{view.promise.plan}</Text>
          <Text className='detail-promise__date'>{`承诺 ${friendlyTime(view.promise.promisedAt, now)} 前办好`}</Text>
          <Text className='mq-muted'>{`答复于 ${friendlyTime(view.promise.repliedAt, now)}`}</Text>
        </View>
      ) : null}

      {view.resolution ? (
        <View className='mq-card mq-notice mq-notice--ok' data-testid='detail-resolution'>
          <Text className='mq-subtitle'>办理结果</Text>
          <Text className='mq-text'>{view.resolution.note}</Text>
          {view.photos.resolution.length > 0 && view.photos.report.length > 0 ? (
            <BeforeAfter
              before={<TicketPhotos refs={view.photos.report} testId='detail-before-photos' />}
              after={<TicketPhotos refs={view.photos.resolution} testId='detail-resolution-photos' />}
              testId='detail-before-after'
            />
          ) : view.photos.resolution.length > 0 ? (
            <TicketPhotos refs={view.photos.resolution} testId='detail-resolution-photos' />
          ) : null}
          <Text className='mq-muted'>{`办结于 ${friendlyTime(view.resolution.resolvedAt, now)}`}</Text>
        </View>
      ) : null}

      {view.rejectionReason ? (
        <View className='mq-card mq-notice mq-notice--warn' data-testid='detail-rejected'>
          <Text className='mq-subtitle'>不予受理的原因</Text>
          <Text className='mq-text'>{view.rejectionReason}</Text>
        </View>
      ) : null}

      {view.mergedInto ? (
        <View className='mq-card' data-testid='detail-merged'>
          <Text className='mq-subtitle'>{`已合并到 ${view.mergedInto.number}`}</Text>
          <Text className='mq-text'>这是同一个问题，合并在一起办理；您会收到那件的进度。</Text>
          <Button
            block
            className='mq-action'
            onClick={() => void Taro.redirectTo({ url: residentDetailUrl(view.mergedInto!.id) })}
          >
            查看合并后的问题
          </Button>
        </View>
      ) : null}

      {view.rating ? (
        <View className='mq-card' data-testid='detail-rating'>
          <Text className='mq-subtitle'>我的评价</Text>
          <Text className='detail-stars'>{`${'★'.repeat(view.rating.stars)}${'☆'.repeat(5 - view.rating.stars)}`}</Text>
          {view.rating.tags.length > 0 ? <Text className='mq-text'>{view.rating.tags.join('、')}</Text> : null}
          {view.rating.comment ? <Text className='mq-text'>{view.rating.comment}</Text> : null}
          {view.state === 'closed' ? <Text className='mq-muted'>谢谢您的评价，这件事已销号。</Text> : null}
        </View>
      ) : null}

      {commands.includes('rate') && view.state === 'resolved' ? (
        <RatingForm
          busy={rateIt.busy}
          error={rateIt.error ? rateIt.error.message || '评价没有提交成功，请再试一次' : null}
          onSubmit={(input) => void rate(input)}
        />
      ) : null}

      {commands.includes('chase') && isOpen(view.state) ? (
        <View className='mq-card' data-testid='detail-chase'>
          <Text className='mq-subtitle'>着急？催一催</Text>
          <ChaseButton nextChaseAt={view.viewer.nextChaseAt} busy={chaseIt.busy} onChase={() => void chase()} />
          {chaseMessage ? (
            <Text className='mq-text detail-chase__message' data-testid='chase-message'>
              {chaseMessage}
            </Text>
          ) : null}
        </View>
      ) : null}

      <View className='mq-card' data-testid='detail-timeline'>
        <Text className='mq-subtitle'>办理进度</Text>
        {/* The thread has its own card above; the timeline keeps the steps. */}
        <Timeline events={view.timeline.filter((e) => e.type !== 'message')} now={now} />
      </View>
    </View>
  )
}

/** One of my requests (or one I follow): who handles it by when, the public timeline, chase and rating. */
export function DetailPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const filed = params.filed === '1'
  const now = useNow()
  // Shown again after another page (someone may have answered meanwhile) and on pull-to-refresh.
  const request = useResource(id ? `request:${id}` : null, () => getRequest(id))

  return (
    <ResidentPage title='问题详情' testId='detail-page' className='detail'>
      {id ? (
        <Loaded resource={request} rows={6}>
          {(view) => <Detail view={view} now={now} filed={filed} onChange={request.setData} />}
        </Loaded>
      ) : (
        <Nothing title='缺少诉求编号' description='请从「我反映过的问题」里打开要看的问题。' testId='load-error' />
      )}
      <Button block size='large' className='mq-action' loading={request.loading && request.data !== undefined} onClick={() => void request.reload()} data-testid='detail-refresh'>
        刷新进度
      </Button>
      <Button
        block
        size='large'
        className='mq-action'
        onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.resident.mine) })}
        data-testid='detail-mine'
      >
        我反映过的问题
      </Button>
    </ResidentPage>
  )
}

export default DetailPage
