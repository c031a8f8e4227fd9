import { useMemo, useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES, pageUrl, CreateStaffSchema, type CreateStaffInput, type PlaceView, type Role, type StaffView } from '@mq/shared'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Notice, Tag } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { createStaff, listPlaces, listStaff } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
import { Actions, Label, PageTitle } from '../../components/ui'
import {
  PlaceCascade,
  RolePicker,
  StaffStatus,
  defaultPlaceFor,
  generatePassword,
  membershipLabel,
} from '../../components/staff-bits'
import './index.scss'

function openStaff(id: string): void {
  void Taro.navigateTo({ url: pageUrl(PAGES.admin.staffDetail, { id }) })
}

function CreateStaffForm({
  places,
  onCreated,
  onCancel,
}: {
  places: PlaceView[]
  onCreated: (staff: StaffView, password: string) => void
  onCancel: () => void
}) {
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [password, setPassword] = useState(generatePassword)
  const [role, setRole] = useState<Role | null>(null)
  const [placeId, setPlaceId] = useState<string | null>(null)
  const [invalid, setInvalid] = useState<string[]>([])
  const create = useMutation((input: CreateStaffInput) => createStaff(input))
  const refused = create.error
  const problems =
    invalid.length > 0 ? invalid : refused ? (refused.details.length > 0 ? refused.details.map((d) => d.message) : [refused.message]) : []

  async function submit(): Promise<void> {
    const input = {
      name,
      phone,
      password,
      memberships: role && placeId ? [{ role, placeId }] : [],
    }
    const checked = CreateStaffSchema.safeParse(input)
    if (!checked.success) {
      create.reset()
      setInvalid([...new Set(checked.error.issues.map((issue) => issue.message))])
      return
    }
    setInvalid([])
    const created = await create.run(checked.data)
    if (created) onCreated(created, checked.data.password)
  }

  return (
    <Card testId='staff-create' title='新建人员'>
      <View className='staff-form__grid'>
        <View className='admin-field'>
          <Label>姓名</Label>
          <Input className='admin-input' value={name} maxLength={20} onChange={setName} placeholder='如：王丽' />
        </View>
        <View className='admin-field'>
          <Label>手机号（用于登录）</Label>
          <Input className='admin-input' type='number' value={phone} maxLength={11} onChange={setPhone} placeholder='11位手机号' />
        </View>
        <View className='admin-field'>
          <Label>初始密码</Label>
          <View className='admin-inline'>
            <Input className='admin-input' value={password} maxLength={128} onChange={setPassword} />
            <Button onClick={() => setPassword(generatePassword())}>重新生成</Button>
          </View>
        </View>
      </View>
      <View className='admin-field'>
        <Label>岗位</Label>
        <RolePicker
          value={role}
          onChange={(next) => {
            setRole(next)
            setPlaceId(defaultPlaceFor(places, next))
          }}
        />
      </View>
      {role ? (
        <View className='admin-field'>
          <Label>负责的地点</Label>
          <PlaceCascade places={places} role={role} value={placeId} onChange={setPlaceId} />
        </View>
      ) : null}
      {problems.length > 0 ? (
        <Notice tone='error' testId='staff-create-errors'>
          {problems.map((p) => (
            <Text key={p}>{p}</Text>
          ))}
        </Notice>
      ) : null}
      <Actions>
        <Button type='primary' loading={create.busy} disabled={create.busy} onClick={() => void submit()}>
          {create.busy ? '正在创建…' : '创建账号'}
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Actions>
    </Card>
  )
}

function StaffConsole() {
  const staff = useResource('admin-staff', listStaff)
  const placeList = useResource('admin-places', listPlaces)
  const [query, setQuery] = useState('')
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<{ name: string; phone: string; password: string } | null>(null)

  const list = staff.data
  const shown = useMemo(() => {
    const q = query.trim()
    const sorted = [...(list ?? [])].sort(
      (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh-CN'),
    )
    if (!q) return sorted
    return sorted.filter(
      (s) => s.name.includes(q) || s.phone.includes(q) || s.memberships.some((m) => membershipLabel(m).includes(q)),
    )
  }, [list, query])

  const places = placeList.data ?? []
  const compound = places.find((p) => p.kind === 'compound' && !p.retired)

  return (
    <View className='staff-page'>
      <View className='staff-page__head'>
        <PageTitle>人员与岗位</PageTitle>
        <Actions>
          <Button
            type='primary'
            onClick={() => {
              setCreating(true)
              setCreated(null)
            }}
            data-testid='staff-new'
          >
            新建人员
          </Button>
          <Button
            onClick={() =>
              void Taro.navigateTo({
                url: pageUrl(PAGES.admin.import, { type: 'staff', placeId: compound?.id }),
              })
            }
          >
            批量导入人员
          </Button>
        </Actions>
      </View>

      {created ? (
        <Notice tone='ok' title={`已创建：${created.name}（${created.phone}）`} testId='staff-created'>
          {`初始密码：${created.password}。请交给本人，并提醒其登录后修改。`}
        </Notice>
      ) : null}

      {creating ? (
        <CreateStaffForm
          places={places}
          onCancel={() => setCreating(false)}
          onCreated={(account, password) => {
            setCreating(false)
            setCreated({ name: account.name, phone: account.phone, password })
            void staff.reload()
          }}
        />
      ) : null}

      <View className='admin-field'>
        <Input
          className='admin-input'
          value={query}
          placeholder='按姓名、手机号或岗位查找'
          onChange={setQuery}
          data-testid='staff-search'
        />
      </View>

      <Loaded resource={staff}>
        {(all) => (
          <>
            <Text className='mq-muted admin-count'>{`共 ${all.length} 人${query.trim() ? `，找到 ${shown.length} 人` : ''}`}</Text>
            <DataTable
              testId='staff-table'
              compact
              empty={query.trim() ? '没有找到符合条件的人员' : '还没有人员，点「新建人员」或「批量导入人员」添加。'}
              columns={[
                { key: 'name', title: '姓名' },
                { key: 'phone', title: '手机号' },
                { key: 'status', title: '状态' },
                { key: 'roles', title: '岗位', fullOnPhone: true },
              ]}
              rows={shown.map((s) => ({
                key: s.id,
                onClick: () => openStaff(s.id),
                cells: {
                  name: <Text className='admin-strong'>{s.name}</Text>,
                  phone: <Text>{s.phone}</Text>,
                  roles: (
                    <View className='admin-inline'>
                      {s.memberships.map((m) => (
                        <Tag key={m.id} tone='primary'>
                          {membershipLabel(m)}
                        </Tag>
                      ))}
                      {s.managedElsewhere ? <Tag>另有管辖范围外的岗位</Tag> : null}
                    </View>
                  ),
                  status: <StaffStatus staff={s} />,
                },
              }))}
            />
          </>
        )}
      </Loaded>
    </View>
  )
}

export function StaffPage() {
  return <AdminShell active='staff'>{() => <StaffConsole />}</AdminShell>
}

export default StaffPage
