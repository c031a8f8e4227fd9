import { useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import {
  AGENDA_REASON_LABELS,
  DECISION_DONE_NOTE_MAX,
  DECISION_NOTE_MAX,
  DECISION_STATUS_LABELS,
  DECISION_SUMMARY_MAX,
  MEETING_ATTENDEE_ROLES,
  MEETING_KIND_LABELS,
  MEETING_KINDS,
  MEETING_PLACE_MAX,
  MEETING_STATUS_LABELS,
  MEETING_TITLE_MAX,
  OVERDUE_DECISION_LABEL,
  ROLE_LABELS,
  addLocalDays,
  defaultCalendar,
  localDateString,
  localDateTime,
  startOfLocalDate,
  type AgendaItem,
  type MeetingDecision,
  type MeetingDetail,
  type MeetingKind,
  type MeetingSummary,
  type Role,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import {
  addAgendaItem,
  agendaCandidates,
  createMeeting,
  markDecisionDone,
  markMeetingHeld,
  meetingCompounds,
  meetingDetail,
  meetingList,
  recordDecision,
} from '@/api/meetings'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Tag, type TagTone } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { DateField, ErrorNote, Field, Kv } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { CompoundPicker } from '../recurring/picker'
import { downloadMinutes } from './minutes'
import './index.scss'

/** Meeting times to pick from (local wall clock): morning, afternoon, evening (after work, for residents' reps). */
const TIMES = [
  { value: '09:00', label: '上午 9:00' },
  { value: '14:30', label: '下午 2:30' },
  { value: '19:00', label: '晚上 7:00' },
] as const
type TimeOfDay = (typeof TIMES)[number]['value']

const GENERAL = 'general'

function decisionTone(d: Pick<MeetingDecision, 'status' | 'overdue'>): { tone: TagTone; label: string } {
  if (d.status === 'done') return { tone: 'ok', label: DECISION_STATUS_LABELS.done }
  return d.overdue ? { tone: 'danger', label: OVERDUE_DECISION_LABEL } : { tone: 'primary', label: DECISION_STATUS_LABELS.open }
}

/** A working day about a week ahead: the default target of a decision. */
function defaultTarget(): string {
  const calendar = defaultCalendar()
  const week = localDateString(addLocalDays(new Date(), 7))
  return calendar.isWorkingDay(week) ? week : calendar.nextWorkingDay(week)
}

function NewMeeting({ compoundId, onCreated }: { compoundId: string; onCreated: (detail: MeetingDetail) => void }) {
  const today = localDateString(new Date())
  const [kind, setKind] = useState<MeetingKind>('nine_heads')
  const [title, setTitle] = useState('')
  const [date, setDate] = useState(localDateString(addLocalDays(new Date(), 3)))
  const [time, setTime] = useState<TimeOfDay>('14:30')
  const [place, setPlace] = useState('')
  const [roles, setRoles] = useState<Role[]>(['grid_lead', 'property_manager', 'self_management_lead'])
  const create = useMutation(() => {
    const [h, m] = time.split(':').map(Number)
    const start = startOfLocalDate(date)!
    return createMeeting({
      compoundId,
      kind,
      title,
      startsAt: new Date(start.getTime() + (h * 60 + m) * 60_000).toISOString(),
      place,
      attendeeRoles: roles,
    })
  })
  const toggle = (role: Role) => setRoles(roles.includes(role) ? roles.filter((r) => r !== role) : [...roles, role])
  return (
    <Card title='新建会议' testId='meeting-new'>
      <Field label='会议类型'>
        <Choices
          grid
          value={kind}
          onPick={setKind}
          choices={MEETING_KINDS.map((k) => ({ value: k, label: MEETING_KIND_LABELS[k], testId: `meeting-kind-${k}` }))}
        />
      </Field>
      <Field label='会议名称'>
        <Input className='mt-input' value={title} maxLength={MEETING_TITLE_MAX} placeholder='例如：12月九长大会' onChange={setTitle} data-testid='meeting-title' />
      </Field>
      <Field label='日期'>
        <DateField value={date} start={today} end={localDateString(addLocalDays(new Date(), 366))} title='开会日期' onChange={setDate} testId='meeting-date' />
      </Field>
      <Field label='时间'>
        <Choices grid value={time} onPick={setTime} choices={TIMES.map((t) => ({ value: t.value, label: t.label, testId: `meeting-time-${t.value}` }))} />
      </Field>
      <Field label='地点'>
        <Input className='mt-input' value={place} maxLength={MEETING_PLACE_MAX} placeholder='例如：社区议事厅' onChange={setPlace} data-testid='meeting-place' />
      </Field>
      <Field label='参会方' hint='按角色邀请，本小区担任该角色的人都会列出'>
        <Choices
          grid
          multiple
          value={roles}
          onPick={toggle}
          choices={MEETING_ATTENDEE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], testId: `meeting-role-${r}` }))}
          testId='meeting-roles'
        />
      </Field>
      {create.error ? <ErrorNote message={create.error.message || '没有保存成功，请再试一次'} requestId={create.error.requestId} /> : null}
      <Button
        block
        type='primary'
        size='large'
        loading={create.busy}
        onClick={() => void create.run().then((detail) => detail && onCreated(detail))}
        data-testid='meeting-create'
      >
        保存会议
      </Button>
    </Card>
  )
}

function MeetingRow({ meeting, onOpen }: { meeting: MeetingSummary; onOpen: () => void }) {
  return (
    <Card
      title={meeting.title}
      extra={<Tag tone={meeting.status === 'held' ? 'ok' : 'warn'}>{MEETING_STATUS_LABELS[meeting.status]}</Tag>}
      testId='meeting-row'
    >
      <Kv k='类型'>{MEETING_KIND_LABELS[meeting.kind]}</Kv>
      <Kv k='时间'>{localDateTime(meeting.startsAt)}</Kv>
      <Kv k='地点'>{meeting.place}</Kv>
      <Text className='st-text mt-counts'>
        {`议题 ${meeting.agendaCount} 个 · 决定 ${meeting.decisionCount} 项 · 落实中 ${meeting.openDecisions} 项`}
        {meeting.overdueDecisions > 0 ? <Text className='mt-overdue'>{` · 逾期 ${meeting.overdueDecisions} 项`}</Text> : null}
      </Text>
      <Button block onClick={onOpen} data-testid='meeting-open'>
        打开
      </Button>
    </Card>
  )
}

function Meetings({ compoundId, onOpen }: { compoundId: string; onOpen: (id: string) => void }) {
  const list = useResource(`meetings:${compoundId}`, () => meetingList(compoundId))
  const [creating, setCreating] = useState(false)
  return (
    <Loaded resource={list} rows={4}>
      {(data) => (
        <View>
          <Text className='st-h1' data-testid='meetings-compound'>{`${data.compoundName} · 议事会`}</Text>
          <Text className='st-hint'>复杂、督办和联办的难事，以及居民需求，在联席会议上商定谁来办、何时办好；决定会公示并跟踪到落实。</Text>
          {data.mayOrganise && !creating ? (
            <View className='mt-gap'>
              <Button block type='primary' size='large' onClick={() => setCreating(true)} data-testid='meeting-new-open'>
                新建会议
              </Button>
            </View>
          ) : null}
          {creating ? <NewMeeting compoundId={compoundId} onCreated={(d) => onOpen(d.id)} /> : null}
          {data.meetings.length === 0 ? <Nothing title='还没有会议' testId='meetings-none' /> : null}
          {data.meetings.map((m) => (
            <MeetingRow key={m.id} meeting={m} onOpen={() => onOpen(m.id)} />
          ))}
        </View>
      )}
    </Loaded>
  )
}

function Candidates({ meetingId, onAdded }: { meetingId: string; onAdded: (detail: MeetingDetail) => void }) {
  const candidates = useResource(`meeting-candidates:${meetingId}`, () => agendaCandidates(meetingId), { refreshOnShow: false })
  const [adding, setAdding] = useState<string | null>(null)
  const add = useMutation((source: 'request' | 'need', id: string) => addAgendaItem(meetingId, { source, id }))
  return (
    <Card title='可列入的议题' testId='meeting-candidates'>
      <Text className='st-hint'>本小区未办结的复杂诉求、升级督办和难事联办的诉求，以及征集中和计划中的居民需求。</Text>
      {add.error ? <ErrorNote message={add.error.message || '没有加入成功'} requestId={add.error.requestId} /> : null}
      <Loaded resource={candidates} rows={3}>
        {(data) =>
          data.candidates.length === 0 ? (
            <Nothing title='暂无可列入的议题' />
          ) : (
            <View className='st-stack'>
              {data.candidates.map((c) => (
                <View key={c.id} className='mt-candidate' data-testid='meeting-candidate' data-number={c.number ?? ''}>
                  <Text className='st-text'>{c.number ? `${c.number} ${c.title}` : c.title}</Text>
                  <View className='st-row mt-tags'>
                    {c.reasons.map((r) => (
                      <Tag key={r} tone={r === 'need' ? 'primary' : 'warn'} outline>
                        {AGENDA_REASON_LABELS[r]}
                      </Tag>
                    ))}
                  </View>
                  {c.onAgenda ? (
                    <Text className='st-muted'>已在议程上</Text>
                  ) : (
                    <Button
                      block
                      loading={add.busy && adding === c.id}
                      onClick={() => {
                        setAdding(c.id)
                        void add.run(c.source, c.id).then((detail) => {
                          if (!detail) return
                          onAdded(detail)
                          void candidates.reload()
                        })
                      }}
                      data-testid='meeting-candidate-add'
                    >
                      列入议程
                    </Button>
                  )}
                </View>
              ))}
            </View>
          )
        }
      </Loaded>
    </Card>
  )
}

function Decision({ decision, onChanged }: { decision: MeetingDecision; onChanged: (detail: MeetingDetail) => void }) {
  const [note, setNote] = useState('')
  const done = useMutation(() => markDecisionDone(decision.id, note))
  const { tone, label } = decisionTone(decision)
  return (
    <View className='mt-decision' data-testid='meeting-decision' data-status={decision.status} data-overdue={decision.overdue ? 'true' : 'false'}>
      <View className='st-row mt-tags'>
        <Tag tone={tone}>{label}</Tag>
      </View>
      <Text className='st-text' data-testid='meeting-decision-summary'>{decision.publicSummary}</Text>
      <Kv k='负责'>{decision.ownerLabel}</Kv>
      <Kv k='完成时限'>{decision.targetDate}</Kv>
      {decision.internalNote ? <Kv k='内部备注'>{decision.internalNote}</Kv> : null}
      {decision.doneNote ? <Kv k='落实情况'>{decision.doneNote}</Kv> : null}
      {decision.mayMarkDone ? (
        <View>
          <Field label='落实情况' hint='会公示，请不要写居民的姓名、电话和门牌号'>
            <TextArea value={note} maxLength={DECISION_DONE_NOTE_MAX} placeholder='例如：防水层已更换，楼下不再渗水' onChange={setNote} data-testid='meeting-done-note' />
          </Field>
          {done.error ? <ErrorNote message={done.error.message || '没有保存成功'} requestId={done.error.requestId} /> : null}
          <Button block loading={done.busy} onClick={() => void done.run().then((d) => d && onChanged(d))} data-testid='meeting-done'>
            标记已落实
          </Button>
        </View>
      ) : null}
    </View>
  )
}

function DecisionForm({ meeting, onSaved }: { meeting: MeetingDetail; onSaved: (detail: MeetingDetail) => void }) {
  const [itemId, setItemId] = useState<string>(meeting.agenda[0]?.id ?? GENERAL)
  const roles = meeting.attendees.length ? meeting.attendees.map((a) => a.role) : MEETING_ATTENDEE_ROLES
  const [owner, setOwner] = useState<Role>(roles[0])
  const [ownerStaff, setOwnerStaff] = useState<string>('')
  const [target, setTarget] = useState(defaultTarget())
  const [summary, setSummary] = useState('')
  const [internal, setInternal] = useState('')
  const holders = meeting.owners.filter((o) => o.role === owner)
  const save = useMutation(() =>
    recordDecision(meeting.id, {
      agendaItemId: itemId === GENERAL ? null : itemId,
      ownerRole: owner,
      ownerStaffId: ownerStaff || null,
      targetDate: target,
      publicSummary: summary,
      internalNote: internal,
    }),
  )
  return (
    <Card title='记录决定' testId='meeting-decide'>
      <Field label='关于哪个议题'>
        <Choices
          grid
          value={itemId}
          onPick={setItemId}
          choices={[
            ...meeting.agenda.map((a, i) => ({ value: a.id, label: `${i + 1}. ${a.number ?? a.title.slice(0, 12)}`, testId: 'meeting-decide-item' })),
            { value: GENERAL, label: '其他决定', testId: 'meeting-decide-general' },
          ]}
        />
      </Field>
      <Field label='负责方'>
        <Choices
          grid
          value={owner}
          onPick={(r) => {
            setOwner(r)
            setOwnerStaff('')
          }}
          choices={roles.map((r) => ({ value: r, label: ROLE_LABELS[r], testId: `meeting-owner-${r}` }))}
        />
      </Field>
      {holders.length > 0 ? (
        <Field label='具体负责人' optional>
          <Choices
            grid
            value={ownerStaff}
            onPick={(id) => setOwnerStaff(id === ownerStaff ? '' : id)}
            choices={holders.map((h) => ({ value: h.staffId, label: h.name, testId: 'meeting-owner-staff' }))}
          />
        </Field>
      ) : null}
      <Field label='完成时限' hint='须为工作日'>
        <DateField value={target} start={localDateString(new Date())} end={localDateString(addLocalDays(new Date(), 366))} title='完成时限' onChange={setTarget} testId='meeting-target' />
      </Field>
      <Field label='公示内容' hint='会显示在诉求的办理进度和公示栏里，请不要写居民的姓名、电话和门牌号'>
        <TextArea value={summary} maxLength={DECISION_SUMMARY_MAX} placeholder='例如：物业联系楼上住户，两周内修好防水' onChange={setSummary} data-testid='meeting-summary' />
      </Field>
      <Field label='内部备注' optional='仅工作人员可见'>
        <TextArea value={internal} maxLength={DECISION_NOTE_MAX} onChange={setInternal} data-testid='meeting-internal' />
      </Field>
      {save.error ? <ErrorNote message={save.error.message || '没有保存成功，请再试一次'} requestId={save.error.requestId} /> : null}
      <Button
        block
        type='primary'
        size='large'
        loading={save.busy}
        onClick={() =>
          void save.run().then((d) => {
            if (!d) return
            setSummary('')
            setInternal('')
            onSaved(d)
          })
        }
        data-testid='meeting-decide-save'
      >
        记录决定
      </Button>
    </Card>
  )
}

function AgendaItemView({ item, index, decisions, onChanged }: { item: AgendaItem; index: number; decisions: MeetingDecision[]; onChanged: (d: MeetingDetail) => void }) {
  return (
    <View className='mt-item' data-testid='meeting-agenda-item'>
      <Text className='st-text mt-item__title'>{`${index + 1}. ${item.number ? `${item.number} ` : ''}${item.title}`}</Text>
      <View className='st-row mt-tags'>
        {item.reasons.map((r) => (
          <Tag key={r} tone={r === 'need' ? 'primary' : 'warn'} outline>
            {AGENDA_REASON_LABELS[r]}
          </Tag>
        ))}
      </View>
      {decisions.map((d) => (
        <Decision key={d.id} decision={d} onChanged={onChanged} />
      ))}
    </View>
  )
}

function Meeting({ id, onBack }: { id: string; onBack: () => void }) {
  const detail = useResource(`meeting:${id}`, () => meetingDetail(id))
  const [picking, setPicking] = useState(false)
  const held = useMutation(() => markMeetingHeld(id))
  const minutes = useMutation(() => downloadMinutes(id))
  const update = (d: MeetingDetail) => detail.setData(d)
  return (
    <Loaded resource={detail} rows={5}>
      {(m) => (
        <View>
          <View className='mt-gap'>
            <Button block onClick={onBack} data-testid='meeting-back'>
              返回会议列表
            </Button>
          </View>
          <Card
            title={m.title}
            extra={<Tag tone={m.status === 'held' ? 'ok' : 'warn'}>{MEETING_STATUS_LABELS[m.status]}</Tag>}
            testId='meeting-detail'
            data-status={m.status}
          >
            <Kv k='类型'>{MEETING_KIND_LABELS[m.kind]}</Kv>
            <Kv k='时间'>{localDateTime(m.startsAt)}</Kv>
            <Kv k='地点'>{m.place}</Kv>
            <Text className='st-label'>参会方</Text>
            {m.attendees.map((a) => (
              <Kv key={a.role} k={a.label} testId='meeting-attendee'>
                {a.names.length ? a.names.join('、') : '（本小区暂无）'}
              </Kv>
            ))}
            {held.error ? <ErrorNote message={held.error.message || '没有保存成功'} requestId={held.error.requestId} /> : null}
            {m.mayOrganise && m.status === 'planned' ? (
              <Button block type='primary' loading={held.busy} onClick={() => void held.run().then((d) => d && update(d))} data-testid='meeting-held'>
                标记已召开
              </Button>
            ) : null}
            {minutes.error ? <ErrorNote message={minutes.error.message || '下载失败'} requestId={minutes.error.requestId} /> : null}
            <Button block loading={minutes.busy} onClick={() => void minutes.run()} data-testid='meeting-minutes'>
              下载会议纪要（PDF）
            </Button>
          </Card>
          <Card title={`议程（${m.agenda.length}）`} testId='meeting-agenda'>
            {m.agenda.length === 0 ? <Text className='st-muted'>还没有议题。</Text> : null}
            {m.agenda.map((item, i) => (
              <AgendaItemView key={item.id} item={item} index={i} decisions={m.decisions.filter((d) => d.agendaItemId === item.id)} onChanged={update} />
            ))}
            {m.decisions.some((d) => d.agendaItemId === null) ? (
              <View className='mt-item'>
                <Text className='st-text mt-item__title'>其他决定</Text>
                {m.decisions
                  .filter((d) => d.agendaItemId === null)
                  .map((d) => (
                    <Decision key={d.id} decision={d} onChanged={update} />
                  ))}
              </View>
            ) : null}
            {m.mayOrganise && !picking ? (
              <Button block onClick={() => setPicking(true)} data-testid='meeting-pick'>
                添加议题
              </Button>
            ) : null}
          </Card>
          {picking ? <Candidates meetingId={id} onAdded={update} /> : null}
          {m.mayOrganise && m.status === 'held' ? <DecisionForm key={m.decisions.length} meeting={m} onSaved={update} /> : null}
          {m.mayOrganise && m.status === 'planned' ? <Text className='st-hint'>会议召开后，标记“已召开”即可记录决定。</Text> : null}
        </View>
      )}
    </Loaded>
  )
}

function Body({ me }: { me: StaffMe }) {
  const { params } = useRouter()
  const [picked, setPicked] = useState<string | null>(params.compoundId ?? null)
  const [open, setOpen] = useState<string | null>(params.meetingId ?? null)
  const compounds = useResource('meetings:compounds', meetingCompounds, { refreshOnShow: false })
  const all = compounds.data?.compounds ?? []
  const own = me.memberships.find((m) => m.place.kind === 'compound' && all.some((c) => c.id === m.place.id))
  const compoundId = picked ?? (all.length === 1 ? all[0].id : (own?.place.id ?? null))
  if (open) return <Meeting key={open} id={open} onBack={() => setOpen(null)} />
  return (
    <View>
      {all.length > 1 ? <CompoundPicker compounds={all} value={compoundId} onPick={setPicked} /> : null}
      {compoundId ? (
        <Meetings key={compoundId} compoundId={compoundId} onOpen={setOpen} />
      ) : compounds.loading || compounds.data === undefined ? (
        <Loaded resource={compounds} rows={2}>
          {() => null}
        </Loaded>
      ) : (
        <Nothing title='没有可查看的小区' description='议事会由小区网格长、书记和社区、街道、区组织。' />
      )}
    </View>
  )
}

/** 议事会: a compound's joint meetings, their agendas and decisions tracked to done, and the minutes. */
export function MeetingsPage() {
  return (
    <StaffFrame title='议事会' testId='meetings-page'>
      {(me) => <Body me={me} />}
    </StaffFrame>
  )
}

export default MeetingsPage
