import { useCallback, useEffect, useMemo, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES, pageUrl, CreateStaffSchema, type PlaceView, type Role, type StaffView } from '@mq/shared'
import { toApiError } from '@/api/client'
import { createStaff, listPlaces, listStaff } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
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
  const [problems, setProblems] = useState<string[]>([])
  const [busy, setBusy] = useState(false)

  async function submit(): Promise<void> {
    const input = {
      name,
      phone,
      password,
      memberships: role && placeId ? [{ role, placeId }] : [],
    }
    const checked = CreateStaffSchema.safeParse(input)
    if (!checked.success) {
      setProblems([...new Set(checked.error.issues.map((issue) => issue.message))])
      return
    }
    setProblems([])
    setBusy(true)
    try {
      onCreated(await createStaff(checked.data), checked.data.password)
    } catch (error) {
      const apiError = toApiError(error)
      setProblems(apiError.details.length > 0 ? apiError.details.map((d) => d.message) : [apiError.message])
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='adm-card' data-testid='staff-create'>
      <Text className='adm-h2'>新建人员</Text>
      <View className='staff-form__grid'>
        <View className='adm-field'>
          <Text className='adm-label'>姓名</Text>
          <Input className='adm-input' value={name} maxlength={20} onInput={(e) => setName(e.detail.value)} />
        </View>
        <View className='adm-field'>
          <Text className='adm-label'>手机号（用于登录）</Text>
          <Input className='adm-input' type='number' value={phone} maxlength={11} onInput={(e) => setPhone(e.detail.value)} />
        </View>
        <View className='adm-field'>
          <Text className='adm-label'>初始密码</Text>
          <View className='adm-row'>
            <Input
              className='adm-input adm-input--grow'
              value={password}
              maxlength={128}
              onInput={(e) => setPassword(e.detail.value)}
            />
            <Button className='adm-btn' onClick={() => setPassword(generatePassword())}>
              重新生成
            </Button>
          </View>
        </View>
      </View>
      <View className='adm-field'>
        <Text className='adm-label'>岗位</Text>
        <RolePicker
          value={role}
          onChange={(next) => {
            setRole(next)
            setPlaceId(defaultPlaceFor(places, next))
          }}
        />
      </View>
      {role ? (
        <View className='adm-field'>
          <Text className='adm-label'>负责的地点</Text>
          <PlaceCascade places={places} role={role} value={placeId} onChange={setPlaceId} />
        </View>
      ) : null}
      {problems.length > 0 ? (
        <View className='adm-alert adm-alert--error' data-testid='staff-create-errors'>
          {problems.map((p) => (
            <Text key={p} className='staff-form__problem'>
              {p}
            </Text>
          ))}
        </View>
      ) : null}
      <View className='adm-row'>
        <Button className='adm-btn adm-btn--primary' disabled={busy || undefined} onClick={() => void submit()}>
          {busy ? '正在创建…' : '创建账号'}
        </Button>
        <Button className='adm-btn' onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  )
}

function StaffConsole() {
  const [staff, setStaff] = useState<StaffView[] | null>(null)
  const [places, setPlaces] = useState<PlaceView[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<{ name: string; phone: string; password: string } | null>(null)

  const load = useCallback(() => {
    Promise.all([listStaff(), listPlaces()]).then(
      ([list, placeList]) => {
        setStaff(list)
        setPlaces(placeList)
        setLoadError(null)
      },
      (error: unknown) => setLoadError(toApiError(error).message),
    )
  }, [])

  useEffect(load, [load])

  const shown = useMemo(() => {
    const q = query.trim()
    const sorted = [...(staff ?? [])].sort(
      (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh-CN'),
    )
    if (!q) return sorted
    return sorted.filter(
      (s) => s.name.includes(q) || s.phone.includes(q) || s.memberships.some((m) => membershipLabel(m).includes(q)),
    )
  }, [staff, query])

  const compound = places.find((p) => p.kind === 'compound' && !p.retired)

  return (
    <View className='staff-page'>
      <View className='staff-page__head'>
        <Text className='adm-h1'>人员与岗位</Text>
        <View className='adm-row'>
          <Button
            className='adm-btn adm-btn--primary'
            onClick={() => {
              setCreating(true)
              setCreated(null)
            }}
            data-testid='staff-new'
          >
            新建人员
          </Button>
          <Button
            className='adm-btn'
            onClick={() =>
              void Taro.navigateTo({
                url: pageUrl(PAGES.admin.import, { type: 'staff', placeId: compound?.id }),
              })
            }
          >
            批量导入人员
          </Button>
        </View>
      </View>

      {created ? (
        <View className='adm-alert adm-alert--ok' data-testid='staff-created'>
          <Text className='adm-alert__title'>{`已创建：${created.name}（${created.phone}）`}</Text>
          <Text>{`初始密码：${created.password}。请交给本人，并提醒其登录后修改。`}</Text>
        </View>
      ) : null}

      {creating ? (
        <CreateStaffForm
          places={places}
          onCancel={() => setCreating(false)}
          onCreated={(account, password) => {
            setCreating(false)
            setCreated({ name: account.name, phone: account.phone, password })
            load()
          }}
        />
      ) : null}

      {loadError ? <Text className='adm-alert adm-alert--error'>{`人员列表加载失败：${loadError}`}</Text> : null}

      <View className='adm-field'>
        <Input
          className='adm-input'
          value={query}
          placeholder='按姓名、手机号或岗位查找'
          onInput={(e) => setQuery(e.detail.value)}
          data-testid='staff-search'
        />
      </View>

      {staff ? (
        <>
          <Text className='adm-muted staff-page__count'>{`共 ${staff.length} 人${query.trim() ? `，找到 ${shown.length} 人` : ''}`}</Text>
          <DataTable
            testId='staff-table'
            compact
            empty={query.trim() ? '没有找到符合条件的人员' : '还没有人员，点「新建人员」或「批量导入人员」添加。'}
            columns={[
              { key: 'name', title: '姓名', width: '0.8fr' },
              { key: 'phone', title: '手机号', width: '130px' },
              { key: 'status', title: '状态', width: '130px' },
              { key: 'roles', title: '岗位', width: '2fr', fullOnPhone: true },
            ]}
            rows={shown.map((s) => ({
              key: s.id,
              onClick: () => openStaff(s.id),
              cells: {
                name: <Text className='staff-page__name'>{s.name}</Text>,
                phone: <Text>{s.phone}</Text>,
                roles: (
                  <View className='adm-chips'>
                    {s.memberships.map((m) => (
                      <Text key={m.id} className='adm-badge adm-badge--kind'>
                        {membershipLabel(m)}
                      </Text>
                    ))}
                    {s.managedElsewhere ? <Text className='adm-badge'>另有管辖范围外的岗位</Text> : null}
                  </View>
                ),
                status: <StaffStatus staff={s} />,
              },
            }))}
          />
        </>
      ) : loadError ? null : (
        <Text className='adm-empty'>正在加载…</Text>
      )}
    </View>
  )
}

export function StaffPage() {
  return <AdminShell active='staff'>{() => <StaffConsole />}</AdminShell>
}

export default StaffPage
