import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import {
  PERSONAL_DATA_ROLES,
  ROLE_LABELS,
  localDateTimeSeconds,
  type AccessLogEntry,
  type AccessLogField,
  type AccessLogSubject,
  type AccessLogSubjectRef,
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

const PAGE_SIZE = 50
const ALL = 'all'

const FIELD_LABELS: Record<AccessLogField, string> = {
  name: '姓名',
  phone: '电话',
  openid: '微信标识',
  room: '房号',
  voice: '语音留言',
  notes: '备注',
}

/** What was read, in words: the request's number, the resource's listed name, the household's building and unit only. */
export function subjectLabel(subject: AccessLogSubjectRef): string {
  switch (subject.kind) {
    case 'ticket':
      return `诉求 ${subject.number}`
    case 'resource':
      return `资源清单：${subject.name}`
    case 'household':
      return `走访名册：${subject.buildingName}${subject.unitName}`
  }
}

const SUBJECT_CHOICES: { value: AccessLogSubject | typeof ALL; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'ticket', label: '诉求' },
  { value: 'resource', label: '资源清单' },
  { value: 'household', label: '走访名册' },
]


interface Shown {
  items: AccessLogEntry[]
  next: string | null
}

function AccessLogConsole() {
  const [staffId, setStaffId] = useState<string | null>(null)
  const [subject, setSubject] = useState<AccessLogSubject | null>(null)
  const filter = { staffId: staffId ?? undefined, subject: subject ?? undefined }
  const log = useResource<Shown>(`admin-access-log:${staffId ?? ALL}:${subject ?? ALL}`, async () => {
    const page = await accessLog({ ...filter, limit: PAGE_SIZE })
    return { items: page.items, next: page.nextBefore }
  })
  // Only those who may see personal data in full appear in the log; offer them as filters.
  const viewers = useResource('admin-access-log-viewers', async () =>
    (await listStaff()).filter((s) => s.memberships.some((m) => PERSONAL_DATA_ROLES.includes(m.role))),
  )
  const more = useMutation((before: string) => accessLog({ ...filter, before, limit: PAGE_SIZE }))

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
        居民的姓名、电话、微信标识和房号，资源清单联系人的姓名和电话，走访名册上住户的信息，只有本小区的网格长、物业和居民自管小组能看到完整内容；每次查看都记录在这里，记录不可修改或删除。
      </Lead>

      <Card>
        <Label>按查看的内容筛选</Label>
        <Choices
          small
          testId='access-log-subjects'
          choices={SUBJECT_CHOICES}
          value={subject ?? ALL}
          onPick={(v) => setSubject(v === ALL ? null : v)}
        />
      </Card>

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
                { key: 'subject', title: '查看了什么' },
                { key: 'compound', title: '小区' },
                { key: 'fields', title: '查看的内容' },
                { key: 'request', title: '请求编号' },
              ]}
              rows={shown.items.map((e) => ({
                key: e.id,
                cells: {
                  at: <Text>{localDateTimeSeconds(e.at)}</Text>,
                  who: <Text>{`${e.staff.name}（${ROLE_LABELS[e.role]}）`}</Text>,
                  subject: <Text data-kind={e.subject.kind}>{subjectLabel(e.subject)}</Text>,
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
