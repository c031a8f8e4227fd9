import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  CHANNEL_LABELS,
  PROXY_CHANNELS,
  ROLE_LABELS,
  SEVERITY_LABELS,
  stateLabel,
  categoryOf,
  type Channel,
  type TicketCommand,
  type TicketView,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { chaseRequest, getRequest } from '@/api/staff-requests'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Notice, Tag } from '@/ui/parts'
import { LoadFailed, Loading } from '@/ui/states'
import { localDateTime } from '@mq/shared'
import { ActionBar } from '../../components/action-bar'
import { ActionForm, hasForm } from '../../components/action-forms'
import { BeforeAfter } from '@/components/before-after'
import { PhotoStrip } from '../../components/photo-picker'
import { ErrorNote, Kv } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { Timeline } from '../../components/timeline'
import { useNow } from '../../components/use-now'
import { CALLBACK_PAGE } from '../../routes'
import { PublicSummaryCard } from './public-summary'
import { ThreadCard } from './thread-card'
import { WithdrawCard } from './withdraw-card'
import { ConvertToNeedCard } from '../needs/convert-card'
import { ResourceMatchesCard } from '../resources/matches-card'
import { dueOf, dueText, escalationFromTimeline, escalationLevel, escalationText } from '../../due'
import './index.scss'

function Summary({ ticket, now }: { ticket: TicketView; now: number }) {
  const due = dueOf(ticket, now)
  const level = escalationLevel(ticket, now, escalationFromTimeline(ticket.timeline))
  const proxy = (PROXY_CHANNELS as readonly Channel[]).includes(ticket.channel)
  return (
    <Card testId='request-summary'>
      <View className='mq-card__head'>
        <Text className='st-h1' data-testid='request-category'>
          {categoryOf(ticket.category).label}
        </Text>
        <Tag tone='primary' testId='request-state' data-state={ticket.state}>
          {stateLabel(ticket)}
        </Tag>
      </View>
      <Text className='request__place' data-testid='request-place'>
        {`${ticket.compoundName} ${ticket.buildingName} ${ticket.unitName}`}
      </Text>
      <Text className={`st-due st-due--${due.kind} request__due`} data-testid='request-due'>
        {dueText(due)}
      </Text>
      <View className='st-row request__tags'>
        <Tag tone='plain' testId='request-severity'>
          {SEVERITY_LABELS[ticket.severity]}
        </Tag>
        <Tag>{proxy ? `代录 · ${CHANNEL_LABELS[ticket.channel]}` : CHANNEL_LABELS[ticket.channel]}</Tag>
        {ticket.chaseCount > 0 ? <Tag tone='warn' outline>{`催单 ${ticket.chaseCount} 次`}</Tag> : null}
        {ticket.followerCount > 0 ? <Tag>{`${ticket.followerCount} 人也遇到`}</Tag> : null}
        {level > 0 ? (
          <Tag tone='danger' testId='request-escalation'>
            {escalationText(level)}
          </Tag>
        ) : null}
      </View>
      <View className='request__kvs'>
        <Kv k='编号'>{ticket.number}</Kv>
        <Kv k='提交时间'>{localDateTime(ticket.createdAt)}</Kv>
        <Kv k='处理人' testId='request-handler'>
          {ticket.handlerRole ? `${ROLE_LABELS[ticket.handlerRole]} ${ticket.handlerName ?? ''}`.trim() : '待分派'}
        </Kv>
        {ticket.coHandlers.length > 0 ? (
          <Kv k='联办人'>{ticket.coHandlers.map((c) => `${ROLE_LABELS[c.role]} ${c.name}`).join('、')}</Kv>
        ) : null}
        {ticket.acceptBy ? <Kv k='受理时限'>{localDateTime(ticket.acceptBy)}</Kv> : null}
        {ticket.replyBy ? <Kv k='答复时限'>{localDateTime(ticket.replyBy)}</Kv> : null}
        {ticket.resolveBy ? <Kv k='办结时限'>{localDateTime(ticket.resolveBy)}</Kv> : null}
      </View>
    </Card>
  )
}

function Reporter({ ticket }: { ticket: TicketView }) {
  const reporter = ticket.reporter
  if (!reporter) return null
  const callable = !reporter.masked && reporter.phone !== null
  const empty = reporter.name === null && reporter.phone === null && reporter.room === null
  // A proxy entry's contact is the staff member who filed it: who to ask when the number is masked.
  const filed = reporter.kind === 'proxy' ? ticket.timeline.find((e) => e.type === 'filed' && e.actor.kind === 'staff') : undefined
  const filer = filed ? [filed.actor.role ? ROLE_LABELS[filed.actor.role] : null, filed.actor.name].filter(Boolean).join(' ') : null
  return (
    <Card
      title={reporter.kind === 'proxy' ? '反映人（工作人员代录）' : '反映人'}
      testId='request-reporter'
      data-masked={reporter.masked ? 'true' : 'false'}
    >
      {empty ? (
        <Text className='st-text' data-testid='reporter-none'>
          居民没有留下姓名和电话。
        </Text>
      ) : (
        <>
          <Kv k='姓名' testId='reporter-name'>
            {reporter.name ?? '未留'}
          </Kv>
          <Kv k='电话' testId='reporter-phone'>
            {reporter.phone ?? '未留'}
          </Kv>
        </>
      )}
      {reporter.room ? <Kv k='房号'>{reporter.room}</Kv> : null}
      {filer ? (
        <Kv k='代录人' testId='reporter-filer'>
          {filer}
        </Kv>
      ) : null}
      {empty ? null : reporter.masked ? (
        <Text className='st-hint' data-testid='reporter-masked'>
          按规定已隐去部分个人信息：只有本小区网格长、物业和居民自管小组能看到完整信息。
        </Text>
      ) : (
        <Text className='st-hint'>您能看到完整个人信息；每次查看都会留下记录，请勿外传。</Text>
      )}
      {callable && reporter.contactConsent ? (
        <View className='st-stack'>
          <Button
            type='primary'
            fill='solid'
            block
            onClick={() => void Taro.makePhoneCall({ phoneNumber: reporter.phone! })}
            data-testid='reporter-call'
          >
            {`拨打 ${reporter.phone}`}
          </Button>
        </View>
      ) : null}
      {callable && !reporter.contactConsent ? <Text className='st-hint'>居民未同意电话联系。</Text> : null}
    </Card>
  )
}

function Outcome({ ticket }: { ticket: TicketView }) {
  const { promise, resolution, rejectionReason, mergedInto, rating } = ticket
  if (!promise && !resolution && !rejectionReason && !mergedInto && !rating) return null
  return (
    <Card testId='request-outcome'>
      {promise ? (
        <View className='request__block'>
          <Text className='mq-card__title'>公开承诺</Text>
          <Text className='st-text'>{promise.plan}</Text>
          <Text className='st-muted' data-testid='request-promised'>{`承诺 ${localDateTime(promise.promisedAt)} 前办结`}</Text>
        </View>
      ) : null}
      {resolution ? (
        <View className='request__block'>
          <Text className='mq-card__title'>办结说明</Text>
          <Text className='st-text' data-testid='request-resolution'>
            {resolution.note}
          </Text>
          <Text className='st-muted'>{localDateTime(resolution.resolvedAt)}</Text>
          {ticket.photos.resolution.length > 0 && ticket.photos.report.length > 0 ? (
            <BeforeAfter
              before={<PhotoStrip photos={ticket.photos.report} testId='request-before-photos' />}
              after={<PhotoStrip photos={ticket.photos.resolution} testId='request-resolution-photos' />}
              testId='request-before-after'
            />
          ) : (
            <PhotoStrip photos={ticket.photos.resolution} testId='request-resolution-photos' />
          )}
        </View>
      ) : null}
      {rejectionReason ? (
        <View className='request__block'>
          <Text className='mq-card__title'>不予受理的理由</Text>
          <Text className='st-text'>{rejectionReason}</Text>
        </View>
      ) : null}
      {mergedInto ? <Text className='st-text'>{`已合并到 ${mergedInto.number}`}</Text> : null}
      {rating ? (
        <View className='request__block'>
          <Text className='mq-card__title'>评价</Text>
          <Text className='st-text'>{`${'★'.repeat(rating.stars)}${'☆'.repeat(5 - rating.stars)}（${rating.stars} 星）${rating.via === 'callback' ? ' · 电话回访' : ''}`}</Text>
          {rating.tags.length > 0 ? <Text className='st-muted'>{rating.tags.join('、')}</Text> : null}
          {rating.comment ? <Text className='st-text'>{rating.comment}</Text> : null}
        </View>
      ) : null}
    </Card>
  )
}

function RequestScreen({ me, id }: { me: StaffMe; id: string }) {
  // Shown again after the 回访 screen: the rating shows.
  const request = useResource(`request:${id}`, () => getRequest(id))
  const [active, setActive] = useState<TicketCommand | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const now = useNow(30_000)
  const chasing = useMutation(async () => {
    done(await chaseRequest(id), '已催单')
  })

  function done(view: TicketView, message: string): void {
    request.setData(view)
    setActive(null)
    setNotice(message)
  }

  async function chase(): Promise<void> {
    const { confirm } = await Taro.showModal({
      title: '代居民催单',
      content: '将提醒处理人尽快办理；超时的诉求催单后会升级督办。每 2 小时可催一次。',
      confirmText: '催单',
    })
    if (confirm) await chasing.run()
  }

  function pick(command: TicketCommand): void {
    setNotice(null)
    chasing.reset()
    if (command === 'chase') void chase()
    else if (command === 'rate') void Taro.navigateTo({ url: `${CALLBACK_PAGE}?id=${encodeURIComponent(id)}` })
    else if (hasForm(command)) setActive(active === command ? null : command)
  }

  const ticket = request.data
  if (!ticket) {
    if (!request.error) return <Loading rows={6} />
    // Not there, or not the caller's: trying again will not help.
    if (request.error.code === 'TICKET_NOT_FOUND') return <ErrorNote message='找不到这条诉求，或它不在您负责的范围内。' requestId={request.error.requestId} />
    return <LoadFailed error={request.error} onRetry={() => void request.reload()} />
  }
  const error = chasing.error ?? (request.error && !request.loading ? request.error : null)

  return (
    <View data-testid='request' data-state={ticket.state}>
      <Summary ticket={ticket} now={now} />

      <Card title='办理' testId='request-handling'>
        {notice ? (
          <Notice tone='ok' testId='action-done'>
            <Text className='st-text'>{notice}</Text>
          </Notice>
        ) : null}
        {error ? <ErrorNote message={error.message} requestId={error.requestId} /> : null}
        <ActionBar ticket={ticket} me={me} active={active} busy={chasing.busy} onPick={pick} />
      </Card>
      {active ? (
        <ActionForm key={active} command={active} ticket={ticket} onDone={done} onCancel={() => setActive(null)} />
      ) : null}

      <Reporter ticket={ticket} />

      <Card title='问题描述'>
        <Text className='st-text request__desc' data-testid='request-description'>
          {ticket.description}
        </Text>
        <PhotoStrip photos={ticket.photos.report} testId='request-photos' />
      </Card>

      <ThreadCard ticket={ticket} onSent={(view) => done(view, '已发送给居民')} />

      {ticket.viewer.commands.includes('withdraw') ? (
        <WithdrawCard ticket={ticket} onWithdrawn={(view) => done(view, '已撤回，处理人会收到通知')} />
      ) : null}

      <Outcome ticket={ticket} />

      <ConvertToNeedCard
        ticket={ticket}
        me={me}
        onConverted={() => {
          setNotice('已转为居民需求')
          void request.reload()
        }}
      />

      <ResourceMatchesCard subject='ticket' subjectId={ticket.id} />

      <PublicSummaryCard
        ticket={ticket}
        // The server offers the command exactly to those whose edit it accepts (shared policy + relation).
        editable={ticket.viewer.commands.includes('public_summary')}
        onSaved={(view, message) => {
          request.setData(view)
          setNotice(message)
        }}
      />

      <Card title='办理记录'>
        <Text className='st-hint request__timeline-hint'>标「内部」的记录只有工作人员能看到。</Text>
        <Timeline events={ticket.timeline} />
      </Card>
    </View>
  )
}

/** The handling screen of one request (`?id=`). */
export function StaffRequestPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  return (
    <StaffFrame title='诉求办理' testId='staff-request'>
      {(me) => (id ? <RequestScreen me={me} id={id} /> : <ErrorNote message='缺少诉求编号。' />)}
    </StaffFrame>
  )
}

export default StaffRequestPage
