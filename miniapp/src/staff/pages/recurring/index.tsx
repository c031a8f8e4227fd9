import { useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import {
  ROLE_LABELS,
  RECURRING_TEXT_MAX,
  TICKET_STATE_LABELS,
  addLocalDays,
  localDateTime,
  can,
  localDateString,
  type ProposedRecurring,
  type RecurringProblem,
  type RecurringRequest,
  type Role,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { addRecurringProgress, adoptRecurring, dismissRecurring, recurringCompounds, recurringList } from '@/api/recurring'
import { categoryLabel } from '@/components/category'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Tag } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { DateField, ErrorNote, Field } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { CompoundPicker } from './picker'

/** Who may own a 重点问题: the roles that act in a compound (a role, never a named person, goes public). */
const OWNER_ROLES: Role[] = ['property_manager', 'grid_lead', 'self_management_lead', 'compound_secretary']

const day = (at: string) => localDateTime(at).slice(0, 10)

/** The compound from the link, else the caller's own compound as its secretary. */
function compoundOf(me: StaffMe, fromLink: string | undefined): string | null {
  if (fromLink) return fromLink
  const own = me.memberships.find((m) => can(m.role, 'supervise_tickets') && m.place.kind === 'compound')
  return own?.place.id ?? null
}

function Requests({ requests }: { requests: RecurringRequest[] }) {
  return (
    <View className='st-list' data-testid='recurring-requests'>
      {requests.map((r) => (
        <View key={r.id} className='st-kv'>
          <Text className='st-kv__k'>{`${r.number} · ${day(r.createdAt)}`}</Text>
          <Text className='st-kv__v'>{`${categoryLabel(r.category)} · ${r.buildingName} · ${TICKET_STATE_LABELS[r.state]}：${r.publicText}`}</Text>
        </View>
      ))}
    </View>
  )
}

function Proposed({ compoundId, item, onDone }: { compoundId: string; item: ProposedRecurring; onDone: () => void }) {
  const today = localDateString(new Date())
  const [owner, setOwner] = useState<Role>('property_manager')
  const [plan, setPlan] = useState('')
  const [target, setTarget] = useState(localDateString(addLocalDays(new Date(), 30)))
  const [reason, setReason] = useState('')
  const adopt = useMutation(() => adoptRecurring({ compoundId, key: item.key, ownerRole: owner, plan, targetDate: target }))
  const dismiss = useMutation(() => dismissRecurring({ compoundId, key: item.key, reason }))
  const error = adopt.error ?? dismiss.error
  return (
    <Card title={item.title} extra={<Tag tone='warn'>待研判</Tag>} testId='recurring-proposed'>
      <Requests requests={item.requests} />
      <Field label='负责方'>
        <Choices
          value={owner}
          onPick={setOwner}
          grid
          choices={OWNER_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], testId: `recurring-owner-${role}` }))}
          testId='recurring-owner'
        />
      </Field>
      <Field label='整改计划' hint='会在公示栏公开，请不要写居民的姓名、电话和门牌号'>
        <TextArea value={plan} maxLength={RECURRING_TEXT_MAX} placeholder='例如：更换楼道灯并每周巡检' onChange={setPlan} data-testid='recurring-plan' />
      </Field>
      <Field label='目标日期'>
        <DateField value={target} start={today} end={localDateString(addLocalDays(new Date(), 366))} title='目标日期' onChange={setTarget} testId='recurring-target' />
      </Field>
      {error ? <ErrorNote message={error.message || '没有保存成功，请再试一次'} requestId={error.requestId} /> : null}
      <Button
        block
        type='primary'
        size='large'
        loading={adopt.busy}
        onClick={() => void adopt.run().then((done) => done && onDone())}
        data-testid='recurring-adopt'
      >
        列为重点问题
      </Button>
      <Field label='不列入的理由' optional='不列入时填写'>
        <TextArea value={reason} maxLength={RECURRING_TEXT_MAX} onChange={setReason} data-testid='recurring-reason' />
      </Field>
      <Button block size='large' loading={dismiss.busy} onClick={() => void dismiss.run().then((done) => done && onDone())} data-testid='recurring-dismiss'>
        不列入
      </Button>
    </Card>
  )
}

function Adopted({ item, onDone }: { item: RecurringProblem; onDone: () => void }) {
  const [note, setNote] = useState('')
  const add = useMutation(() => addRecurringProgress(item.id, note))
  return (
    <Card title={item.title} extra={<Tag tone='primary'>重点问题</Tag>} testId='recurring-adopted'>
      <View className='st-kv'>
        <Text className='st-kv__k'>负责方</Text>
        <Text className='st-kv__v'>{item.ownerLabel}</Text>
      </View>
      <View className='st-kv'>
        <Text className='st-kv__k'>目标日期</Text>
        <Text className='st-kv__v'>{item.targetDate}</Text>
      </View>
      <Text className='st-text'>{`计划：${item.plan}`}</Text>
      {item.progress.map((p) => (
        <Text key={p.id} className='st-text' data-testid='recurring-progress'>{`${day(p.at)} 进展：${p.note}`}</Text>
      ))}
      <Requests requests={item.requests} />
      <Field label='添加进展' hint='会在公示栏公开'>
        <TextArea value={note} maxLength={RECURRING_TEXT_MAX} onChange={setNote} data-testid='recurring-note' />
      </Field>
      {add.error ? <ErrorNote message={add.error.message || '没有保存成功，请再试一次'} requestId={add.error.requestId} /> : null}
      <Button
        block
        size='large'
        loading={add.busy}
        onClick={() =>
          void add.run().then((done) => {
            if (!done) return
            setNote('')
            onDone()
          })
        }
        data-testid='recurring-add-progress'
      >
        保存进展
      </Button>
    </Card>
  )
}

/** Proposals supervisors chose not to adopt: folded, each with its reason, who (a role) and when. */
export function Dismissed({ items }: { items: RecurringProblem[] }) {
  const [open, setOpen] = useState(false)
  if (items.length === 0) return null
  return (
    <Card title={`已决定不列入（${items.length}）`} testId='recurring-dismissed' data-open={open ? 'true' : 'false'}>
      <Text className='st-hint'>这些反复问题研判后没有列为重点问题；再有新的反映时会重新列出待研判。</Text>
      {open
        ? items.map((item) => (
            <View key={item.id} className='st-stack' data-testid='recurring-dismissed-item'>
              <Text className='st-text'>{item.title}</Text>
              <View className='st-kv'>
                <Text className='st-kv__k'>决定</Text>
                <Text className='st-kv__v' data-testid='recurring-dismissed-who'>{`${item.decidedByLabel || '督办人员'} · ${day(item.adoptedAt)} 不列入`}</Text>
              </View>
              <Text className='st-text' data-testid='recurring-dismissed-reason'>{`理由：${item.dismissReason ?? ''}`}</Text>
              <Requests requests={item.requests} />
            </View>
          ))
        : null}
      <Button block onClick={() => setOpen(!open)} data-testid='recurring-dismissed-toggle'>
        {open ? '收起' : '展开查看'}
      </Button>
    </Card>
  )
}

function Problems({ compoundId }: { compoundId: string }) {
  const list = useResource(`recurring:${compoundId}`, () => recurringList(compoundId))
  return (
    <Loaded resource={list} rows={4}>
      {(data) => (
        <View>
          <Text className='st-h1' data-testid='recurring-compound'>{`${data.compoundName} · 重点问题`}</Text>
          <Text className='st-hint'>同一楼栋同一类问题、或描述相近的问题，30 天内反映 3 次及以上，会列在这里待研判。</Text>
          {data.proposed.length === 0 ? <Nothing title='暂无待研判的反复问题' testId='recurring-none' /> : null}
          {data.proposed.map((item) => (
            <Proposed key={item.key} compoundId={compoundId} item={item} onDone={() => void list.reload()} />
          ))}
          {data.adopted.map((item) => (
            <Adopted key={item.id} item={item} onDone={() => void list.reload()} />
          ))}
          <Dismissed items={data.dismissed} />
        </View>
      )}
    </Loaded>
  )
}

function Body({ me }: { me: StaffMe }) {
  const { params } = useRouter()
  const [picked, setPicked] = useState<string | null>(() => compoundOf(me, params.compoundId))
  const compounds = useResource('recurring:compounds', recurringCompounds, { refreshOnShow: false })
  const all = compounds.data?.compounds ?? []
  const compoundId = picked ?? (all.length === 1 ? all[0].id : null)
  return (
    <View>
      {all.length > 1 ? <CompoundPicker compounds={all} value={compoundId} onPick={setPicked} /> : null}
      {compoundId ? (
        <Problems key={compoundId} compoundId={compoundId} />
      ) : compounds.loading || compounds.data === undefined ? (
        <Loaded resource={compounds} rows={2}>
          {() => null}
        </Loaded>
      ) : all.length === 0 ? (
        <Nothing title='没有可研判的小区' description='重点问题由小区书记和社区、街道、区的督办人员研判。' />
      ) : null}
    </View>
  )
}

/** 重点问题: proposed recurring problems to adopt or dismiss, and the adopted ones' progress. */
export function RecurringPage() {
  return (
    <StaffFrame title='重点问题' testId='recurring-page'>
      {(me) => <Body me={me} />}
    </StaffFrame>
  )
}

export default RecurringPage
