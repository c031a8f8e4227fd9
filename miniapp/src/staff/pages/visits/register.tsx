import { useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  CreateHouseholdSchema,
  PERSONAL_DATA_ROLES,
  VISIT_REASON_LABELS,
  VISIT_REASONS,
  can,
  type HouseholdList,
  type VisitReason,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { unitsOfCompound, type BuildingChoice } from '@/api/staff-requests'
import { createHousehold, householdList } from '@/api/visits'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { ErrorNote, Field } from '../../components/parts'

/** Intervals offered in one tap (the API takes any from 1 to 90 days). */
const INTERVALS = ['7', '14', '30'] as const

/** The compounds whose register the caller may read: memberships at a compound of roles that handle requests. */
export function registerCompounds(me: StaffMe): { id: string; name: string; full: boolean }[] {
  const seen = new Map<string, { id: string; name: string; full: boolean }>()
  for (const m of me.memberships) {
    if (m.place.kind !== 'compound' || !can(m.role, 'handle_tickets')) continue
    const full = PERSONAL_DATA_ROLES.includes(m.role)
    const known = seen.get(m.place.id)
    seen.set(m.place.id, { id: m.place.id, name: m.place.name, full: full || Boolean(known?.full) })
  }
  return [...seen.values()]
}

/** Puts a household on the register, the caller its grid worker. */
function NewHousehold({ me, compoundId, onDone }: { me: StaffMe; compoundId: string; onDone: () => void }) {
  const places = useResource<BuildingChoice[]>(`units:${compoundId}`, () => unitsOfCompound(compoundId), { refreshOnShow: false })
  const [building, setBuilding] = useState<string | null>(null)
  const [unitId, setUnitId] = useState<string | null>(null)
  const [room, setRoom] = useState('')
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [reasons, setReasons] = useState<VisitReason[]>([])
  const [interval, setInterval] = useState<(typeof INTERVALS)[number]>('7')
  const [notes, setNotes] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const saving = useMutation(async (input: Parameters<typeof createHousehold>[0]) => {
    await createHousehold(input)
    onDone()
  })

  function submit(): void {
    saving.reset()
    const parsed = CreateHouseholdSchema.safeParse({
      unitId: unitId ?? '',
      room: room.trim(),
      people: [{ name: name.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) }],
      reasons,
      intervalDays: Number(interval),
      assigneeStaffId: me.id,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      setProblem(issue.path[0] === 'unitId' ? '请选择楼栋和单元' : issue.path[0] === 'room' ? '请填写房号' : issue.message)
      return
    }
    setProblem(null)
    void saving.run(parsed.data)
  }

  const units = places.data?.find((b) => b.name === building)?.units ?? []
  return (
    <Card title='登记走访对象' testId='visit-new'>
      <Field label='楼栋'>
        <Loaded resource={places} rows={2}>
          {(list) => (
            <Choices
              choices={list.map((b) => ({ value: b.name, label: b.name }))}
              value={building}
              onPick={(b) => {
                setBuilding(b)
                setUnitId(null)
              }}
            />
          )}
        </Loaded>
      </Field>
      {building ? (
        <Field label='单元'>
          <Choices choices={units.map((u) => ({ value: u.id, label: u.name }))} value={unitId} onPick={setUnitId} />
        </Field>
      ) : null}
      <Field label='房号'>
        <Input className='visits-input' value={room} maxLength={20} placeholder='例如 302' onChange={setRoom} data-testid='visit-new-room' />
      </Field>
      <Field label='居民姓名'>
        <Input className='visits-input' value={name} maxLength={20} placeholder='例如 张桂芳' onChange={setName} data-testid='visit-new-name' />
      </Field>
      <Field label='电话' optional>
        <Input className='visits-input' type='number' value={phone} maxLength={11} placeholder='11位手机号' onChange={setPhone} data-testid='visit-new-phone' />
      </Field>
      <Field label='走访原因'>
        <Choices
          choices={VISIT_REASONS.map((r) => ({ value: r, label: VISIT_REASON_LABELS[r] }))}
          value={reasons}
          onPick={(r) => setReasons(reasons.includes(r) ? reasons.filter((x) => x !== r) : [...reasons, r])}
          multiple
        />
      </Field>
      <Field label='多久走访一次'>
        <Choices choices={INTERVALS.map((d) => ({ value: d, label: `每${d}天` }))} value={interval} onPick={setInterval} />
      </Field>
      <Field label='备注' optional>
        <Input className='visits-input' value={notes} maxLength={200} placeholder='例如：耳背，敲门要用力' onChange={setNotes} />
      </Field>
      <Text className='st-hint'>走访人是您自己；姓名、电话、房号只有本小区网格长、物业和自管小组能看到。</Text>
      {problem ? <Text className='st-field-error'>{problem}</Text> : null}
      {saving.error ? <ErrorNote message={saving.error.message} requestId={saving.error.requestId} /> : null}
      <Button type='primary' fill='solid' block disabled={saving.busy} onClick={submit} data-testid='visit-new-save'>
        {saving.busy ? '正在保存…' : '登记'}
      </Button>
    </Card>
  )
}

/** A compound's register: every household with who visits and when it is due; masked for roles that may not see people. */
export function RegisterScreen({ me, onOpen }: { me: StaffMe; onOpen: (id: string) => void }) {
  const compounds = registerCompounds(me)
  const [compoundId, setCompoundId] = useState<string | null>(compounds[0]?.id ?? null)
  const [adding, setAdding] = useState(false)
  const list = useResource<HouseholdList>(compoundId ? `visit-register:${compoundId}` : null, () => householdList(compoundId!))
  if (!compoundId) return <Nothing title='您的岗位不在小区一级，没有走访名册' />
  const full = compounds.find((c) => c.id === compoundId)?.full ?? false
  return (
    <View data-testid='visit-register'>
      {compounds.length > 1 ? (
        <Choices choices={compounds.map((c) => ({ value: c.id, label: c.name }))} value={compoundId} onPick={setCompoundId} />
      ) : null}
      {!full ? (
        <Notice tone='warn'>
          <Text className='st-text'>姓名和电话已隐去：走访名册只对本小区网格长、物业和自管小组完整显示。</Text>
        </Notice>
      ) : adding ? (
        <NewHousehold
          me={me}
          compoundId={compoundId}
          onDone={() => {
            setAdding(false)
            void list.reload()
          }}
        />
      ) : (
        <Button block onClick={() => setAdding(true)} data-testid='visit-new-open'>
          登记走访对象
        </Button>
      )}
      <Loaded resource={list} rows={3} isEmpty={(l) => l.households.length === 0} empty={<Nothing title='名册上还没有人' />}>
        {(l) =>
          l.households.map((h) => (
            <View
              key={h.id}
              className='visits-row'
              onClick={() => onOpen(h.id)}
              data-testid='visit-register-row'
              data-access={h.access}
            >
              <Text className='visits-row__who'>{h.people.map((p) => p.name).join('、')}</Text>
              <Text className='st-hint'>{`${h.buildingName}${h.unitName}${h.room ? ` ${h.room}` : ''} · 走访人 ${h.assignee.name} · 每${h.intervalDays}天`}</Text>
              <Text className='st-hint'>{h.reasons.map((r) => VISIT_REASON_LABELS[r]).join('、')}</Text>
            </View>
          ))
        }
      </Loaded>
    </View>
  )
}
