import { useCallback, useEffect, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PAGES, pageUrl, passwordProblem, type PlaceView, type Role, type StaffView } from '@mq/shared'
import { toApiError } from '@/api/client'
import {
  addMembership,
  getStaff,
  listPlaces,
  removeMembership,
  resetStaffPassword,
  updateStaff,
} from '../../api'
import { AdminShell } from '../../components/admin-shell'
import {
  PlaceCascade,
  RolePicker,
  StaffStatus,
  defaultPlaceFor,
  generatePassword,
  membershipLabel,
} from '../../components/staff-bits'
import { localDateTime } from '@mq/shared'
import './index.scss'

type Notice = { kind: 'ok' | 'error'; text: string } | null

async function confirm(title: string, content: string, confirmText: string): Promise<boolean> {
  const res = await Taro.showModal({ title, content, confirmText, confirmColor: '#b3261e', cancelText: '取消' })
  return res.confirm
}

function StaffDetail({ id }: { id: string }) {
  const [staff, setStaff] = useState<StaffView | null>(null)
  const [places, setPlaces] = useState<PlaceView[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [password, setPassword] = useState(generatePassword)
  const [role, setRole] = useState<Role | null>(null)
  const [placeId, setPlaceId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<Notice>(null)

  const show = useCallback((view: StaffView) => {
    setStaff(view)
    setName(view.name)
  }, [])

  useEffect(() => {
    Promise.all([getStaff(id), listPlaces()]).then(
      ([view, list]) => {
        show(view)
        setPlaces(list)
      },
      (error: unknown) => setLoadError(toApiError(error).message),
    )
  }, [id, show])

  async function run(action: () => Promise<string>): Promise<void> {
    setBusy(true)
    setNotice(null)
    try {
      setNotice({ kind: 'ok', text: await action() })
    } catch (error) {
      const apiError = toApiError(error)
      setNotice({ kind: 'error', text: apiError.details[0]?.message ?? apiError.message })
    } finally {
      setBusy(false)
    }
  }

  if (loadError) return <Text className='adm-alert adm-alert--error'>{`加载失败：${loadError}`}</Text>
  if (!staff) return <Text className='adm-empty'>正在加载…</Text>

  const locked = staff.managedElsewhere

  const rename = () =>
    run(async () => {
      show(await updateStaff(staff.id, { name: name.trim() }))
      return '姓名已保存'
    })

  const setActive = async (active: boolean) => {
    if (
      !active &&
      !(await confirm(`停用 ${staff.name} 的账号？`, '停用后此人立即退出登录且不能再登录，名下岗位保留，可随时重新启用。', '停用'))
    ) {
      return
    }
    await run(async () => {
      show(await updateStaff(staff.id, { active }))
      return active ? '账号已重新启用' : '账号已停用，此人已退出登录'
    })
  }

  const reset = async () => {
    const problem = passwordProblem(password)
    if (problem) {
      setNotice({ kind: 'error', text: problem })
      return
    }
    if (!(await confirm(`重置 ${staff.name} 的密码？`, '重置后此人需用新密码登录，已登录的设备会退出；账号锁定也会解除。', '重置'))) {
      return
    }
    await run(async () => {
      await resetStaffPassword(staff.id, password)
      show(await getStaff(staff.id))
      const text = `密码已重置为：${password}。请交给本人，并提醒其登录后修改。`
      setPassword(generatePassword())
      return text
    })
  }

  const add = () =>
    run(async () => {
      if (!role || !placeId) throw new Error('请选择岗位和地点')
      show(await addMembership(staff.id, { role, placeId }))
      setRole(null)
      setPlaceId(null)
      return '岗位已添加'
    })

  const remove = async (membershipId: string, label: string) => {
    if (!(await confirm(`移除岗位「${label}」？`, '移除后，此人不再处理或查看该地点的诉求。', '移除'))) return
    await run(async () => {
      await removeMembership(staff.id, membershipId)
      show(await getStaff(staff.id))
      return '岗位已移除'
    })
  }

  return (
    <View className='staff-detail' data-testid='staff-detail'>
      <Button className='adm-btn adm-btn--small staff-detail__back' onClick={() => void Taro.reLaunch({ url: pageUrl(PAGES.admin.staff) })}>
        ← 人员列表
      </Button>
      <View className='adm-row'>
        <Text className='adm-h1'>{staff.name}</Text>
        <StaffStatus staff={staff} />
      </View>
      <Text className='adm-lead'>{`手机号 ${staff.phone} · 创建于 ${localDateTime(staff.createdAt)}`}</Text>

      {notice ? (
        <Text className={`adm-alert adm-alert--${notice.kind}`} data-testid='staff-notice'>
          {notice.text}
        </Text>
      ) : null}
      {locked ? (
        <Text className='adm-alert adm-alert--warn'>
          此人还在您管辖范围之外担任岗位，账号只能由管辖全部岗位的上级管理员修改；下面只显示您范围内的岗位。
        </Text>
      ) : null}

      <View className='staff-detail__grid'>
        <View className='adm-card'>
          <Text className='adm-h2'>岗位</Text>
          {staff.memberships.length === 0 ? <Text className='adm-muted'>您的管辖范围内没有岗位。</Text> : null}
          {staff.memberships.map((m) => (
            <View key={m.id} className='staff-detail__membership'>
              <Text className='staff-detail__membership-label'>{membershipLabel(m)}</Text>
              {!locked ? (
                <Button
                  className='adm-btn adm-btn--danger adm-btn--small'
                  disabled={busy || undefined}
                  onClick={() => void remove(m.id, membershipLabel(m))}
                >
                  移除
                </Button>
              ) : null}
            </View>
          ))}
          {!locked ? (
            <View className='staff-detail__add'>
              <Text className='adm-label'>添加岗位</Text>
              <RolePicker
                value={role}
                onChange={(next) => {
                  setRole(next)
                  setPlaceId(defaultPlaceFor(places, next))
                }}
              />
              {role ? (
                <View className='adm-field staff-detail__cascade'>
                  <PlaceCascade places={places} role={role} value={placeId} onChange={setPlaceId} />
                </View>
              ) : null}
              <Button className='adm-btn adm-btn--primary' disabled={busy || !role || !placeId || undefined} onClick={() => void add()}>
                添加岗位
              </Button>
            </View>
          ) : null}
        </View>

        {!locked ? (
          <View>
            <View className='adm-card'>
              <Text className='adm-h2'>姓名</Text>
              <View className='adm-row'>
                <Input className='adm-input adm-input--grow' value={name} maxlength={20} onInput={(e) => setName(e.detail.value)} />
                <Button
                  className='adm-btn'
                  disabled={busy || !name.trim() || name.trim() === staff.name || undefined}
                  onClick={() => void rename()}
                >
                  保存
                </Button>
              </View>
            </View>

            <View className='adm-card'>
              <Text className='adm-h2'>重置密码</Text>
              <Text className='adm-muted'>忘记密码或账号被锁定时使用。新密码至少 8 位，须包含字母和数字。</Text>
              <View className='adm-row staff-detail__password'>
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
              <Button className='adm-btn adm-btn--primary' disabled={busy || undefined} onClick={() => void reset()}>
                重置密码
              </Button>
            </View>

            <View className='adm-card'>
              <Text className='adm-h2'>账号状态</Text>
              {staff.active ? (
                <Button className='adm-btn adm-btn--danger' disabled={busy || undefined} onClick={() => void setActive(false)}>
                  停用账号
                </Button>
              ) : (
                <Button className='adm-btn adm-btn--primary' disabled={busy || undefined} onClick={() => void setActive(true)}>
                  重新启用账号
                </Button>
              )}
            </View>
          </View>
        ) : null}
      </View>
    </View>
  )
}

export function StaffDetailPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  return (
    <AdminShell active='staff' atRoot={false}>
      {() =>
        id ? (
          <StaffDetail id={id} />
        ) : (
          <Text className='adm-alert adm-alert--error'>没有指定人员，请从人员列表进入。</Text>
        )
      }
    </AdminShell>
  )
}

export default StaffDetailPage
