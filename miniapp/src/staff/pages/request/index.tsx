import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
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
import { toApiError, type ApiError } from '@/api/client'
import { chaseRequest, getRequest } from '@/api/staff-requests'
import { localDateTime } from '@mq/shared'
import { ActionBar } from '../../components/action-bar'
import { ActionForm, hasForm } from '../../components/action-forms'
import { PhotoStrip } from '../../components/photo-picker'
import { ErrorNote, StaffFrame } from '../../components/staff-frame'
import { Timeline } from '../../components/timeline'
import { useNow } from '../../components/use-now'
import { CALLBACK_PAGE } from '../../routes'
import { PublicSummaryCard } from './public-summary'
import { dueOf, dueText, escalationFromTimeline, escalationLevel, escalationText } from '../../due'
import './index.scss'

function Kv({ k, children, testId }: { k: string; children: string; testId?: string }) {
  return (
    <View className='st-kv'>
      <Text className='st-kv__k'>{k}</Text>
      <Text className='st-kv__v' data-testid={testId}>
        {children}
      </Text>
    </View>
  )
}

function Summary({ ticket, now }: { ticket: TicketView; now: number }) {
  const due = dueOf(ticket, now)
  const level = escalationLevel(ticket, now, escalationFromTimeline(ticket.timeline))
  const proxy = (PROXY_CHANNELS as readonly Channel[]).includes(ticket.channel)
  return (
    <View className='st-card' data-testid='request-summary'>
      <View className='request__top'>
        <Text className='st-h1' data-testid='request-category'>
          {categoryOf(ticket.category).label}
        </Text>
        <Text className='st-tag st-tag--state' data-testid='request-state' data-state={ticket.state}>
          {stateLabel(ticket)}
        </Text>
      </View>
      <Text className='request__place' data-testid='request-place'>
        {`${ticket.compoundName} ${ticket.buildingName} ${ticket.unitName}`}
      </Text>
      <Text className={`st-due st-due--${due.kind} request__due`} data-testid='request-due'>
        {dueText(due)}
      </Text>
      <View className='st-row request__tags'>
        <Text className='st-tag st-tag--muted' data-testid='request-severity'>
          {SEVERITY_LABELS[ticket.severity]}
        </Text>
        <Text className='st-tag'>{proxy ? `代录 · ${CHANNEL_LABELS[ticket.channel]}` : CHANNEL_LABELS[ticket.channel]}</Text>
        {ticket.chaseCount > 0 ? <Text className='st-tag st-tag--warn'>{`催单 ${ticket.chaseCount} 次`}</Text> : null}
        {ticket.followerCount > 0 ? <Text className='st-tag'>{`${ticket.followerCount} 人也遇到`}</Text> : null}
        {level > 0 ? (
          <Text className='st-tag st-tag--danger' data-testid='request-escalation'>
            {escalationText(level)}
          </Text>
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
    </View>
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
    <View className='st-card' data-testid='request-reporter' data-masked={reporter.masked ? 'true' : 'false'}>
      <Text className='st-h2'>{reporter.kind === 'proxy' ? '反映人（工作人员代录）' : '反映人'}</Text>
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
        <Button
          className='st-btn st-btn--primary'
          onClick={() => void Taro.makePhoneCall({ phoneNumber: reporter.phone! })}
          data-testid='reporter-call'
        >
          {`拨打 ${reporter.phone}`}
        </Button>
      ) : null}
      {callable && !reporter.contactConsent ? <Text className='st-hint'>居民未同意电话联系。</Text> : null}
    </View>
  )
}

function Outcome({ ticket }: { ticket: TicketView }) {
  const { promise, resolution, rejectionReason, mergedInto, rating } = ticket
  if (!promise && !resolution && !rejectionReason && !mergedInto && !rating) return null
  return (
    <View className='st-card' data-testid='request-outcome'>
      {promise ? (
        <View className='request__block'>
          <Text className='st-h2'>公开承诺</Text>
          <Text className='st-text'>{promise.plan}</Text>
          <Text className='st-muted' data-testid='request-promised'>{`承诺 ${localDateTime(promise.promisedAt)} 前办结`}</Text>
        </View>
      ) : null}
      {resolution ? (
        <View className='request__block'>
          <Text className='st-h2'>办结说明</Text>
          <Text className='st-text' data-testid='request-resolution'>
            {resolution.note}
          </Text>
          <Text className='st-muted'>{localDateTime(resolution.resolvedAt)}</Text>
          <PhotoStrip photos={ticket.photos.resolution} testId='request-resolution-photos' />
        </View>
      ) : null}
      {rejectionReason ? (
        <View className='request__block'>
          <Text className='st-h2'>不予受理的理由</Text>
          <Text className='st-text'>{rejectionReason}</Text>
        </View>
      ) : null}
      {mergedInto ? <Text className='st-text'>{`已合并到 ${mergedInto.number}`}</Text> : null}
      {rating ? (
        <View className='request__block'>
          <Text className='st-h2'>评价</Text>
          <Text className='st-text'>{`${'★'.repeat(rating.stars)}${'☆'.repeat(5 - rating.stars)}（${rating.stars} 星）${rating.via === 'callback' ? ' · 电话回访' : ''}`}</Text>
          {rating.tags.length > 0 ? <Text className='st-muted'>{rating.tags.join('、')}</Text> : null}
          {rating.comment ? <Text className='st-text'>{rating.comment}</Text> : null}
        </View>
      ) : null}
    </View>
  )
}

function RequestScreen({ me, id }: { me: StaffMe; id: string }) {
  const [ticket, setTicket] = useState<TicketView | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [active, setActive] = useState<TicketCommand | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const now = useNow(30_000)

  const load = useCallback(async () => {
    try {
      setTicket(await getRequest(id))
      setError(null)
    } catch (err) {
      setError(toApiError(err))
    }
  }, [id])

  useEffect(() => {
    void load()
  }, [load])

  // Back from the 回访 screen: show the rating.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void load()
    shown.current = true
  })

  function done(view: TicketView, message: string): void {
    setTicket(view)
    setActive(null)
    setNotice(message)
  }

  async function chase(): Promise<void> {
    const { confirm } = await Taro.showModal({
      title: '代居民催单',
      content: '将提醒处理人尽快办理；超时的诉求催单后会升级督办。每 2 小时可催一次。',
      confirmText: '催单',
    })
    if (!confirm) return
    setBusy(true)
    try {
      done(await chaseRequest(id), '已催单')
    } catch (err) {
      setNotice(null)
      setError(toApiError(err))
    } finally {
      setBusy(false)
    }
  }

  function pick(command: TicketCommand): void {
    setNotice(null)
    if (command === 'chase') void chase()
    else if (command === 'rate') void Taro.navigateTo({ url: `${CALLBACK_PAGE}?id=${encodeURIComponent(id)}` })
    else if (hasForm(command)) setActive(active === command ? null : command)
  }

  if (!ticket) {
    return error ? (
      <ErrorNote
        message={error.code === 'TICKET_NOT_FOUND' ? '找不到这条诉求，或它不在您负责的范围内。' : error.message}
        requestId={error.requestId}
        onRetry={error.code === 'TICKET_NOT_FOUND' ? undefined : () => void load()}
      />
    ) : (
      <Text className='st-empty'>正在加载…</Text>
    )
  }

  return (
    <View data-testid='request' data-state={ticket.state}>
      <Summary ticket={ticket} now={now} />

      <View className='st-card' data-testid='request-handling'>
        <Text className='st-h2'>办理</Text>
        {notice ? (
          <View className='st-alert st-alert--ok' data-testid='action-done'>
            <Text className='st-alert__text'>{notice}</Text>
          </View>
        ) : null}
        {error ? <ErrorNote message={error.message} requestId={error.requestId} /> : null}
        <ActionBar ticket={ticket} me={me} active={active} busy={busy} onPick={pick} />
      </View>
      {active ? (
        <ActionForm key={active} command={active} ticket={ticket} onDone={done} onCancel={() => setActive(null)} />
      ) : null}

      <Reporter ticket={ticket} />

      <View className='st-card'>
        <Text className='st-h2'>问题描述</Text>
        <Text className='st-text request__desc' data-testid='request-description'>
          {ticket.description}
        </Text>
        <PhotoStrip photos={ticket.photos.report} testId='request-photos' />
      </View>

      <Outcome ticket={ticket} />

      <PublicSummaryCard
        ticket={ticket}
        // The server offers the command exactly to those whose edit it accepts (shared policy + relation).
        editable={ticket.viewer.commands.includes('public_summary')}
        onSaved={(view, message) => {
          setTicket(view)
          setNotice(message)
        }}
      />

      <View className='st-card'>
        <Text className='st-h2'>办理记录</Text>
        <Text className='st-hint request__timeline-hint'>标「内部」的记录只有工作人员能看到。</Text>
        <Timeline events={ticket.timeline} />
      </View>
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
