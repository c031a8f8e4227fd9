import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import {
  PERSONAL_DATA_ROLES,
  ROLE_LABELS,
  localDateTimeSeconds,
  type AccessLogEntry,
  type AccessLogField,
} from '@mq/shared'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice } from '@/ui/parts'
import { Loaded, failureText } from '@/ui/states'
import { accessLog, listStaff } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
import { Label, Lead, PageTitle } from '../../components/ui'
import './index.scss'

const FIELD_LABELS: Record<AccessLogField, string> = {
  name: '姓名',
  phone: '电话',
  openid: '微信标识',
  room: '房号',
  voice: '语音留言',
}

const PAGE_SIZE = 50
const ALL = 'all'

interface Shown {
  items: AccessLogEntry[]
  next: string | null
}

function AccessLogConsole() {
  const [staffId, setStaffId] = useState<string | null>(null)
  const filter = staffId ?? undefined
  const log = useResource<Shown>(`admin-access-log:${staffId ?? ALL}`, async () => {
    const page = await accessLog({ staffId: filter, limit: PAGE_SIZE })
    return { items: page.items, next: page.nextBefore }
  })
  // Only those who may see personal data in full appear in the log; offer them as filters.
  const viewers = useResource('admin-access-log-viewers', async () =>
    (await listStaff()).filter((s) => s.memberships.some((m) => PERSONAL_DATA_ROLES.includes(m.role))),
  )
  const more = useMutation((before: string) => accessLog({ staffId: filter, before, limit: PAGE_SIZE }))

  async function loadMore(shown: Shown): Promise<void> {
    if (!shown.next) return
    const page = await more.run(shown.next)
    if (page) log.setData({ items: [...shown.items, ...page.items], next: page.nextBefore })
  }

  const staff = viewers.data ?? []
  return (
    <View className='access-log' data-testid='access-log'>
      <PageTitle>个人信息查看记录</PageTitle>
      <Lead>
        居民的姓名、电话、微信标识和房号，只有本小区的网格长、物业和居民自管小组能看到完整内容；每次查看都记录在这里，记录不可修改或删除。
      </Lead>

      {staff.length > 0 ? (
        <Card>
          <Label>按查看人筛选</Label>
          <Choices
            small
            choices={[{ value: ALL, label: '全部' }, ...staff.map((s) => ({ value: s.id, label: s.name }))]}
            value={staffId ?? ALL}
            onPick={(id) => setStaffId(id === ALL ? null : id)}
          />
        </Card>
      ) : null}

      <Loaded resource={log}>
        {(shown) => (
          <>
            <DataTable
              testId='access-log-table'
              empty='还没有查看记录。'
              columns={[
                { key: 'at', title: '时间' },
                { key: 'who', title: '查看人' },
                { key: 'ticket', title: '诉求编号' },
                { key: 'compound', title: '小区' },
                { key: 'fields', title: '查看的内容' },
                { key: 'request', title: '请求编号' },
              ]}
              rows={shown.items.map((e) => ({
                key: e.id,
                cells: {
                  at: <Text>{localDateTimeSeconds(e.at)}</Text>,
                  who: <Text>{`${e.staff.name}（${ROLE_LABELS[e.role]}）`}</Text>,
                  ticket: <Text className='admin-mono'>{e.ticket.number}</Text>,
                  compound: <Text>{e.compound.name}</Text>,
                  fields: <Text>{e.fields.map((f) => FIELD_LABELS[f]).join('、')}</Text>,
                  request: <Text className='admin-mono access-log__request'>{e.requestId ?? '—'}</Text>,
                },
              }))}
            />
            {more.error ? <Notice tone='error'>{`加载失败：${failureText(more.error)}`}</Notice> : null}
            {shown.next ? (
              <View className='admin-more'>
                <Button loading={more.busy} disabled={more.busy} onClick={() => void loadMore(shown)}>
                  {more.busy ? '正在加载…' : '加载更早的记录'}
                </Button>
              </View>
            ) : null}
          </>
        )}
      </Loaded>
    </View>
  )
}

export function AccessLogPage() {
  return <AdminShell active='access-log'>{() => <AccessLogConsole />}</AdminShell>
}

export default AccessLogPage
