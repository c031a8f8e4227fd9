import { useEffect, useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PAGES, localDateTime, pageUrl, passwordProblem, type Role, type StaffView } from '@mq/shared'
import { toApiError } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Notice } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import {
  addMembership,
  getStaff,
  listPlaces,
  removeMembership,
  resetStaffPassword,
  updateStaff,
} from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { useConfirm } from '../../components/confirm'
import {
  PlaceCascade,
  RolePicker,
  StaffStatus,
  defaultPlaceFor,
  generatePassword,
  membershipLabel,
} from '../../components/staff-bits'
import { Actions, Label, PageTitle } from '../../components/ui'
import './index.scss'

type Said = { kind: 'ok' | 'error'; text: string } | null

function StaffDetail({ id }: { id: string }) {
  const account = useResource(`admin-staff:${id}`, () => getStaff(id))
  const placeList = useResource('admin-places', listPlaces)
  const [name, setName] = useState('')
  const [password, setPassword] = useState(generatePassword)
  const [role, setRole] = useState<Role | null>(null)
  const [placeId, setPlaceId] = useState<string | null>(null)
  const [notice, setNotice] = useState<Said>(null)
  const { confirm, dialog } = useConfirm()
  // Every change answers with a sentence for the admin, or the server's reason.
  const change = useMutation(async (action: () => Promise<string>): Promise<Said> => {
    try {
      return { kind: 'ok', text: await action() }
    } catch (thrown) {
      const error = toApiError(thrown)
      return { kind: 'error', text: error.details[0]?.message ?? error.message }
    }
  })
  const busy = change.busy

  const savedName = account.data?.name
  useEffect(() => {
    if (savedName !== undefined) setName(savedName)
  }, [savedName])

  const places = placeList.data ?? []
  const show = (view: StaffView) => account.setData(view)

  async function run(action: () => Promise<string>): Promise<void> {
    setNotice(null)
    const said = await change.run(action)
    if (said) setNotice(said)
  }

  return (
    <>
      {dialog}
      <Loaded resource={account} rows={6}>
        {(staff) => {
          const locked = staff.managedElsewhere

          const rename = () =>
            run(async () => {
              show(await updateStaff(staff.id, { name: name.trim() }))
              return '姓名已保存'
            })

          const setActive = async (active: boolean) => {
            if (
              !active &&
              !(await confirm({
                title: `停用 ${staff.name} 的账号？`,
                content: '停用后此人立即退出登录且不能再登录，名下岗位保留，可随时重新启用。',
                confirmText: '停用',
                danger: true,
              }))
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
            const yes = await confirm({
              title: `重置 ${staff.name} 的密码？`,
              content: '重置后此人需用新密码登录，已登录的设备会退出；账号锁定也会解除。',
              confirmText: '重置',
              danger: true,
            })
            if (!yes) return
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
            const yes = await confirm({
              title: `移除岗位「${label}」？`,
              content: '移除后，此人不再处理或查看该地点的诉求。',
              confirmText: '移除',
              danger: true,
            })
            if (!yes) return
            await run(async () => {
              await removeMembership(staff.id, membershipId)
              show(await getStaff(staff.id))
              return '岗位已移除'
            })
          }

          return (
            <View className='staff-detail' data-testid='staff-detail'>
              <Button size='small' fill='none' onClick={() => void Taro.reLaunch({ url: pageUrl(PAGES.admin.staff) })}>
                ← 人员列表
              </Button>
              <View className='admin-inline'>
                <PageTitle>{staff.name}</PageTitle>
                <StaffStatus staff={staff} />
              </View>
              <Text className='mq-muted admin-lead'>{`手机号 ${staff.phone} · 创建于 ${localDateTime(staff.createdAt)}`}</Text>

              {notice ? (
                <Notice tone={notice.kind} testId='staff-notice'>
                  {notice.text}
                </Notice>
              ) : null}
              {locked ? (
                <Notice tone='warn'>
                  此人还在您管辖范围之外担任岗位，账号只能由管辖全部岗位的上级管理员修改；下面只显示您范围内的岗位。
                </Notice>
              ) : null}

              <View className='staff-detail__grid'>
                <Card title='岗位'>
                  {staff.memberships.length === 0 ? <Text className='mq-muted'>您的管辖范围内没有岗位。</Text> : null}
                  {staff.memberships.map((m) => (
                    <View key={m.id} className='staff-detail__membership'>
                      <Text className='admin-strong'>{membershipLabel(m)}</Text>
                      {!locked ? (
                        <Button
                          size='small'
                          type='danger'
                          fill='outline'
                          disabled={busy}
                          onClick={() => void remove(m.id, membershipLabel(m))}
                        >
                          移除
                        </Button>
                      ) : null}
                    </View>
                  ))}
                  {!locked ? (
                    <View className='staff-detail__add'>
                      <Label>添加岗位</Label>
                      <RolePicker
                        value={role}
                        onChange={(next) => {
                          setRole(next)
                          setPlaceId(defaultPlaceFor(places, next))
                        }}
                      />
                      {role ? (
                        <View className='staff-detail__cascade'>
                          <PlaceCascade places={places} role={role} value={placeId} onChange={setPlaceId} />
                        </View>
                      ) : null}
                      <Actions>
                        <Button type='primary' disabled={busy || !role || !placeId} onClick={() => void add()}>
                          添加岗位
                        </Button>
                      </Actions>
                    </View>
                  ) : null}
                </Card>

                {!locked ? (
                  <View>
                    <Card title='姓名'>
                      <View className='admin-inline'>
                        <Input className='admin-input' value={name} maxLength={20} onChange={setName} />
                        <Button disabled={busy || !name.trim() || name.trim() === staff.name} onClick={() => void rename()}>
                          保存
                        </Button>
                      </View>
                    </Card>

                    <Card title='重置密码'>
                      <Text className='mq-muted'>忘记密码或账号被锁定时使用。新密码至少 8 位，须包含字母和数字。</Text>
                      <View className='admin-inline staff-detail__password'>
                        <Input className='admin-input' value={password} maxLength={128} onChange={setPassword} />
                        <Button onClick={() => setPassword(generatePassword())}>重新生成</Button>
                      </View>
                      <Button type='primary' disabled={busy} onClick={() => void reset()}>
                        重置密码
                      </Button>
                    </Card>

                    <Card title='账号状态'>
                      {staff.active ? (
                        <Button type='danger' fill='outline' disabled={busy} onClick={() => void setActive(false)}>
                          停用账号
                        </Button>
                      ) : (
                        <Button type='primary' disabled={busy} onClick={() => void setActive(true)}>
                          重新启用账号
                        </Button>
                      )}
                    </Card>
                  </View>
                ) : null}
              </View>
            </View>
          )
        }}
      </Loaded>
    </>
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
          <Notice tone='error'>没有指定人员，请从人员列表进入。</Notice>
        )
      }
    </AdminShell>
  )
}

export default StaffDetailPage
