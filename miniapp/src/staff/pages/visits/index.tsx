import { useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  CATEGORIES,
  NEED_TITLE_MAX,
  VISIT_DUE_LABELS,
  VISIT_KIND_LABELS,
  VISIT_KINDS,
  VISIT_REASON_LABELS,
  WELLBEING,
  WELLBEING_LABELS,
  localDateTime,
  type CategoryCode,
  type HouseholdDetail,
  type HouseholdView,
  type VisitKind,
  type VisitView,
  type Wellbeing,
} from '@mq/shared'
import type { ApiError } from '@/api/client'
import type { StaffMe } from '@/api/auth'
import { fileVisitNeed, fileVisitRequest, household, leaveRegister, logVisit, visitSchedule } from '@/api/visits'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag, type TagTone } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { ErrorNote, Field } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { requestUrl } from '../../routes'
import { RegisterScreen, registerCompounds } from './register'
import './index.scss'

const DUE_TONE: Record<HouseholdView['due']['state'], TagTone> = { overdue: 'danger', due_today: 'warn', upcoming: 'plain' }

/** What a visit turns into, in the same tap as saving it. */
type FollowUp = 'none' | 'request' | 'need'
const FOLLOW_UPS: { value: FollowUp; label: string; testId: string }[] = [
  { value: 'none', label: '不用转', testId: 'visit-follow-none' },
  { value: 'request', label: '代录诉求', testId: 'visit-follow-request' },
  { value: 'need', label: '居民需求', testId: 'visit-follow-need' },
]

function dueText(h: HouseholdView): string {
  if (h.due.state === 'overdue') return `逾期${h.due.daysOverdue}天`
  if (h.due.state === 'due_today') return VISIT_DUE_LABELS.due_today
  return `${h.due.dueDate.slice(5).replace('-', '月')}日到期`
}

function where(h: HouseholdView): string {
  return `${h.buildingName}${h.unitName}${h.room ? ` ${h.room}` : ''}`
}

function names(h: HouseholdView): string {
  return h.people.map((p) => p.name).join('、')
}

/** One household in the day's list: who, where, why, when due; a tap opens it. */
function HouseholdRow({ h, onOpen }: { h: HouseholdView; onOpen: () => void }) {
  return (
    <View className='visits-row' onClick={onOpen} data-testid='visit-row' data-id={h.id} data-due={h.due.state}>
      <View className='visits-row__top'>
        <Text className='visits-row__who'>{names(h)}</Text>
        <Tag tone={DUE_TONE[h.due.state]} testId='visit-row-due'>
          {dueText(h)}
        </Tag>
      </View>
      <Text className='st-hint'>{`${where(h)} · ${h.reasons.map((r) => VISIT_REASON_LABELS[r]).join('、')} · 每${h.intervalDays}天`}</Text>
      <Text className='st-hint'>
        {h.lastContactAt
          ? `上次 ${localDateTime(h.lastContactAt)}${h.lastWellbeing ? ` · ${WELLBEING_LABELS[h.lastWellbeing]}` : ''}`
          : '还没有走访过'}
      </Text>
    </View>
  )
}

/** The visit log: how, how they are, what they need, and what it turns into. Saved with one tap. */
function VisitForm({ h, onSaved }: { h: HouseholdDetail; onSaved: (visit: VisitView) => void }) {
  const [kind, setKind] = useState<VisitKind | null>(null)
  const [wellbeing, setWellbeing] = useState<Wellbeing | null>(null)
  const [needsFound, setNeedsFound] = useState('')
  const [followUp, setFollowUp] = useState<FollowUp>('none')
  const [category, setCategory] = useState<CategoryCode | null>(null)
  const [needTitle, setNeedTitle] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  // The visit once saved: a failed follow-up is retried without logging the visit twice.
  const [saved, setSaved] = useState<VisitView | null>(null)

  const saving = useMutation(async () => {
    const visit =
      saved ??
      (await logVisit({
        householdId: h.id,
        kind: kind!,
        wellbeing: wellbeing!,
        ...(needsFound.trim() ? { needsFound: needsFound.trim() } : {}),
      }))
    setSaved(visit)
    const done =
      followUp === 'request'
        ? await fileVisitRequest(visit.id, { category: category! })
        : followUp === 'need'
          ? await fileVisitNeed(visit.id, { title: needTitle.trim() })
          : visit
    onSaved(done)
  })

  function submit(): void {
    saving.reset()
    const missing = !kind
      ? '请选择上门还是电话'
      : !wellbeing
        ? '请选择情况'
        : followUp !== 'none' && !needsFound.trim()
          ? '请写下发现的问题或需求'
          : followUp === 'request' && !category
            ? '请选择问题类别'
            : followUp === 'need' && needTitle.trim().length < 2
              ? '请写需求名称（至少两个字）'
              : null
    setProblem(missing)
    if (!missing) void saving.run()
  }

  const failure: ApiError | null = saving.error
  return (
    <Card title='记一次走访' testId='visit-form'>
      <Field label='方式'>
        <Choices
          choices={VISIT_KINDS.map((k) => ({ value: k, label: VISIT_KIND_LABELS[k], testId: `visit-kind-${k}` }))}
          value={kind}
          onPick={setKind}
          disabled={Boolean(saved)}
        />
      </Field>
      <Field label='情况'>
        <Choices
          choices={WELLBEING.map((w) => ({ value: w, label: WELLBEING_LABELS[w], testId: `visit-wellbeing-${w}` }))}
          value={wellbeing}
          onPick={setWellbeing}
          disabled={Boolean(saved)}
        />
      </Field>
      <Field label='发现的问题或需求' optional>
        <TextArea
          value={needsFound}
          maxLength={500}
          rows={2}
          placeholder='例如：卫生间漏水；想要老年助餐'
          onChange={setNeedsFound}
          disabled={Boolean(saved)}
          data-testid='visit-needs'
        />
      </Field>
      <Field label='同时转为'>
        <Choices choices={FOLLOW_UPS} value={followUp} onPick={setFollowUp} />
      </Field>
      {followUp === 'request' ? (
        <Field label='问题类别' hint='以这户的名义代录，您是联系人'>
          <Choices
            choices={CATEGORIES.map((c) => ({ value: c.code, label: c.label, testId: `visit-category-${c.code}` }))}
            value={category}
            onPick={setCategory}
            grid
          />
        </Field>
      ) : null}
      {followUp === 'need' ? (
        <Field label='需求名称' hint='进入本小区居民需求清单，这户算第一位支持'>
          <Input
            className='visits-input'
            value={needTitle}
            maxLength={NEED_TITLE_MAX}
            placeholder='例如：老年助餐'
            onChange={setNeedTitle}
            data-testid='visit-need-title'
          />
        </Field>
      ) : null}
      {problem ? (
        <Text className='st-field-error' data-testid='visit-problem'>
          {problem}
        </Text>
      ) : null}
      {failure ? <ErrorNote message={failure.message} requestId={failure.requestId} /> : null}
      <Button type='primary' fill='solid' size='large' block disabled={saving.busy} onClick={submit} data-testid='visit-save'>
        {saving.busy ? '正在保存…' : saved ? '重试转办' : '保存'}
      </Button>
    </Card>
  )
}

function VisitLine({ v }: { v: VisitView }) {
  return (
    <View className='visits-log' data-testid='visit-log-line'>
      <Text className='st-text'>{`${localDateTime(v.at)} · ${VISIT_KIND_LABELS[v.kind]} · ${WELLBEING_LABELS[v.wellbeing]} · ${v.staffName}`}</Text>
      {v.needsFound ? <Text className='st-hint'>{v.needsFound}</Text> : null}
      {v.ticket ? (
        <Button size='small' onClick={() => void Taro.navigateTo({ url: requestUrl(v.ticket!.id) })} data-testid='visit-ticket'>
          {`诉求 ${v.ticket.number}`}
        </Button>
      ) : null}
      {v.needId ? <Text className='st-hint'>已转为居民需求</Text> : null}
    </View>
  )
}

/** 移出名册 (moved away, passed away, no longer needs visits): asks first, since the personal data goes at once. */
function LeaveButton({ id, onLeft }: { id: string; onLeft: () => void }) {
  const leaving = useMutation(async () => {
    const { confirm } = await Taro.showModal({
      title: '移出走访名册？',
      content: '这户的姓名、电话、房号、备注和走访时记下的话会立即删除，不能恢复。',
      confirmText: '移出',
      cancelText: '取消',
    })
    if (!confirm) return
    await leaveRegister(id)
    onLeft()
  })
  return (
    <>
      {leaving.error ? <ErrorNote message={leaving.error.message} requestId={leaving.error.requestId} /> : null}
      <Button block disabled={leaving.busy} onClick={() => void leaving.run()} data-testid='visit-leave'>
        移出走访名册
      </Button>
    </>
  )
}

/** One household: who and how to reach them, the visit form, and the visits so far. */
function HouseholdScreen({ id, onBack }: { id: string; onBack: () => void }) {
  const detail = useResource<HouseholdDetail>(`visit-household:${id}`, () => household(id), { refreshOnShow: false })
  const [done, setDone] = useState<VisitView | null>(null)
  return (
    <View data-testid='visit-household'>
      <Button size='small' onClick={onBack} data-testid='visit-back'>
        返回走访名单
      </Button>
      <Loaded resource={detail} rows={4}>
        {(h) => (
          <>
            <Card title={names(h)} extra={<Tag tone={DUE_TONE[h.due.state]}>{dueText(h)}</Tag>}>
              <Text className='st-text'>{where(h)}</Text>
              {h.people.map((p) => (
                <View key={`${p.name}${p.phone ?? ''}`} className='visits-person'>
                  <Text className='st-text'>{p.name}</Text>
                  {p.phone && h.access === 'full' ? (
                    <Button size='small' onClick={() => void Taro.makePhoneCall({ phoneNumber: p.phone! })} data-testid='visit-call'>
                      {`拨打 ${p.phone}`}
                    </Button>
                  ) : (
                    <Text className='st-hint'>{p.phone ?? '没有电话'}</Text>
                  )}
                </View>
              ))}
              <Text className='st-hint'>{`${h.reasons.map((r) => VISIT_REASON_LABELS[r]).join('、')} · 每${h.intervalDays}天走访 · 走访人 ${h.assignee.name}`}</Text>
              {h.notes ? <Text className='st-hint'>{`备注：${h.notes}`}</Text> : null}
            </Card>
            {done ? (
              <Notice tone='ok' title='已记录这次走访' testId='visit-done'>
                <Text className='st-text'>{`下次到期：${h.intervalDays}天后`}</Text>
                {done.ticket ? (
                  <Button type='primary' size='small' onClick={() => void Taro.navigateTo({ url: requestUrl(done.ticket!.id) })} data-testid='visit-done-ticket'>
                    {`已代录诉求 ${done.ticket.number}，查看`}
                  </Button>
                ) : null}
                {done.needId ? <Text className='st-text' data-testid='visit-done-need'>已转为居民需求</Text> : null}
              </Notice>
            ) : h.access === 'full' ? (
              <VisitForm
                h={h}
                onSaved={(v) => {
                  setDone(v)
                  void detail.reload()
                }}
              />
            ) : null}
            <Card title={`走访记录（${h.visits.length}）`} testId='visit-history'>
              {h.visits.length === 0 ? <Text className='st-hint'>还没有走访记录</Text> : h.visits.map((v) => <VisitLine key={v.id} v={v} />)}
            </Card>
            {h.access === 'full' ? <LeaveButton id={h.id} onLeft={onBack} /> : null}
          </>
        )}
      </Loaded>
    </View>
  )
}

/** The day's list: the caller's households, overdue first, then due today, then by due date. */
function ScheduleScreen({ onOpen }: { onOpen: (id: string) => void }) {
  const schedule = useResource('visit-schedule', visitSchedule)
  return (
    <Loaded
      resource={schedule}
      rows={4}
      isEmpty={(s) => s.households.length === 0}
      empty={<Nothing title='没有分配给您的走访对象' />}
    >
      {(s) => {
        const overdue = s.households.filter((h) => h.due.state === 'overdue').length
        const today = s.households.filter((h) => h.due.state === 'due_today').length
        return (
          <View data-testid='visit-schedule'>
            <Text className='st-hint visits-summary' data-testid='visit-summary'>
              {`共${s.households.length}户 · 逾期${overdue}户 · 今天到期${today}户`}
            </Text>
            {s.households.map((h) => (
              <HouseholdRow key={h.id} h={h} onOpen={() => onOpen(h.id)} />
            ))}
          </View>
        )
      }}
    </Loaded>
  )
}

type Tab = 'mine' | 'register'

function VisitsScreen({ me }: { me: StaffMe }) {
  const params = useRouter().params
  const [open, setOpen] = useState<string | null>(params.id ?? null)
  const [tab, setTab] = useState<Tab>('mine')
  if (open) return <HouseholdScreen id={open} onBack={() => setOpen(null)} />
  return (
    <View>
      {registerCompounds(me).length > 0 ? (
        <Choices
          choices={[
            { value: 'mine', label: '我的走访', testId: 'visit-tab-mine' },
            { value: 'register', label: '小区名册', testId: 'visit-tab-register' },
          ]}
          value={tab}
          onPick={setTab}
        />
      ) : null}
      {tab === 'mine' ? <ScheduleScreen onOpen={setOpen} /> : <RegisterScreen me={me} onOpen={setOpen} />}
    </View>
  )
}

/** 走访与电话问候: the grid worker's schedule of households, and the visit log written on the phone. */
export function StaffVisitsPage() {
  return (
    <StaffFrame title='走访' testId='staff-visits'>
      {(me) => <VisitsScreen me={me} />}
    </StaffFrame>
  )
}

export default StaffVisitsPage
