import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { PERSONAL_DATA_ROLES, ROLE_LABELS, type AccessLogEntry, type PersonalField, type StaffView } from '@mq/shared'
import { toApiError } from '@/api/client'
import { accessLog, listStaff } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
import { localDateTimeSeconds } from '@mq/shared'
import './index.scss'

const FIELD_LABELS: Record<PersonalField, string> = {
  name: '姓名',
  phone: '电话',
  openid: '微信标识',
  room: '房号',
}

const PAGE_SIZE = 50

function AccessLogConsole() {
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [staff, setStaff] = useState<StaffView[]>([])
  const [staffId, setStaffId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async (filter: string | null, before: string | null) => {
    setBusy(true)
    try {
      const page = await accessLog({ staffId: filter ?? undefined, before: before ?? undefined, limit: PAGE_SIZE })
      setEntries((shown) => (before && shown ? [...shown, ...page.items] : page.items))
      setNext(page.nextBefore)
      setError(null)
    } catch (err) {
      setError(toApiError(err).message)
    } finally {
      setBusy(false)
    }
  }, [])

  useEffect(() => {
    void load(staffId, null)
  }, [load, staffId])

  useEffect(() => {
    // Only those who may see personal data in full appear in the log; offer them as filters.
    listStaff().then(
      (list) => setStaff(list.filter((s) => s.memberships.some((m) => PERSONAL_DATA_ROLES.includes(m.role)))),
      () => setStaff([]),
    )
  }, [])

  return (
    <View className='access-log' data-testid='access-log'>
      <Text className='adm-h1'>个人信息查看记录</Text>
      <Text className='adm-lead'>
        居民的姓名、电话、微信标识和房号，只有本小区的网格长、物业和居民自管小组能看到完整内容；每次查看都记录在这里，记录不可修改或删除。
      </Text>

      {staff.length > 0 ? (
        <View className='adm-card access-log__filter'>
          <Text className='adm-label'>按查看人筛选</Text>
          <View className='adm-chips'>
            <Button className={`adm-chip${staffId === null ? ' adm-chip--on' : ''}`} onClick={() => setStaffId(null)}>
              全部
            </Button>
            {staff.map((s) => (
              <Button
                key={s.id}
                className={`adm-chip${staffId === s.id ? ' adm-chip--on' : ''}`}
                onClick={() => setStaffId(s.id)}
              >
                {s.name}
              </Button>
            ))}
          </View>
        </View>
      ) : null}

      {error ? <Text className='adm-alert adm-alert--error'>{`加载失败：${error}`}</Text> : null}

      {entries ? (
        <DataTable
          testId='access-log-table'
          empty='还没有查看记录。'
          columns={[
            { key: 'at', title: '时间', width: '170px' },
            { key: 'who', title: '查看人', width: '1fr' },
            { key: 'ticket', title: '诉求编号', width: '110px' },
            { key: 'compound', title: '小区', width: '1fr' },
            { key: 'fields', title: '查看的内容', width: '1.2fr' },
            { key: 'request', title: '请求编号', width: '1.5fr' },
          ]}
          rows={entries.map((e) => ({
            key: e.id,
            cells: {
              at: <Text>{localDateTimeSeconds(e.at)}</Text>,
              who: <Text>{`${e.staff.name}（${ROLE_LABELS[e.role]}）`}</Text>,
              ticket: <Text className='adm-mono'>{e.ticket.number}</Text>,
              compound: <Text>{e.compound.name}</Text>,
              fields: <Text>{e.fields.map((f) => FIELD_LABELS[f]).join('、')}</Text>,
              request: <Text className='adm-mono access-log__request'>{e.requestId ?? '—'}</Text>,
            },
          }))}
        />
      ) : error ? null : (
        <Text className='adm-empty'>正在加载…</Text>
      )}

      {next ? (
        <View className='access-log__more'>
          <Button className='adm-btn' disabled={busy || undefined} onClick={() => void load(staffId, next)}>
            {busy ? '正在加载…' : '加载更早的记录'}
          </Button>
        </View>
      ) : null}
    </View>
  )
}

export function AccessLogPage() {
  return <AdminShell active='access-log'>{() => <AccessLogConsole />}</AdminShell>
}

export default AccessLogPage
