import { useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import {
  MATCH_NOTE_MAX,
  RESOURCE_ADDRESS_MAX,
  RESOURCE_AVAILABILITY_MAX,
  RESOURCE_CONTACT_NAME_MAX,
  RESOURCE_HOURS_MAX,
  RESOURCE_IMPORT_COLUMNS,
  RESOURCE_KINDS,
  RESOURCE_KIND_LABELS,
  RESOURCE_NAME_MAX,
  ROLE_LABELS,
  addLocalDays,
  defaultCalendar,
  localDateString,
  splitTags,
  type MatchOwner,
  type MatchSubject,
  type ResourceImportResult,
  type ResourceKind,
  type ResourceList,
  type ResourceView,
  type Role,
} from '@mq/shared'
import type { ApiError, ErrorDetail } from '@/api/client'
import { toApiError } from '@/api/client'
import {
  XLSX_TYPE,
  createResource,
  importResources,
  matchResources,
  resourceCompounds,
  resourceDetail,
  resourceList,
  resourceTemplate,
  updateResource,
  type SheetFile,
} from '@/api/resources'
import { chooseInMiniProgram, readBrowserFile } from '@/admin/components/sheet-picker'
import { saveInBrowser } from '@/admin/save-file'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { DateField, ErrorNote, Field, Kv } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { ResourceMatchesCard } from './matches-card'
import './index.scss'

type KindFilter = 'all' | ResourceKind

/** Roles that may answer for a match as a role (the compound's handlers). */
const OWNER_ROLES: Role[] = ['property_manager', 'grid_lead', 'self_management_lead', 'building_lead', 'liaison']

// ---------------------------------------------------------------------------------------------------
// One resource

function Contact({ item, inFull }: { item: ResourceView; inFull: boolean }) {
  const [full, setFull] = useState<ResourceView | null>(null)
  const open = useMutation(async () => setFull(await resourceDetail(item.id)))
  if (!item.contactName && !item.contactPhone) return null
  const shown = full ?? item
  return (
    <View>
      <Kv k='联系人' testId='resource-contact'>{`${shown.contactName ?? ''} ${shown.contactPhone ?? ''}`.trim()}</Kv>
      {inFull && !full ? (
        <Button size='small' loading={open.busy} onClick={() => void open.run()} data-testid='resource-contact-open'>
          查看完整联系方式
        </Button>
      ) : null}
      {full ? <Text className='st-hint'>已记录本次查看。请勿转发志愿者的联系方式。</Text> : null}
      {open.error ? <ErrorNote message={open.error.message} requestId={open.error.requestId} /> : null}
    </View>
  )
}

function ResourceCard({
  item,
  list,
  picking,
  picked,
  onPick,
  onEdit,
}: {
  item: ResourceView
  list: ResourceList
  picking: boolean
  picked: boolean
  onPick: () => void
  onEdit: () => void
}) {
  return (
    <Card
      title={item.name}
      extra={<Tag tone={item.active ? 'primary' : 'plain'}>{item.active ? RESOURCE_KIND_LABELS[item.kind] : '已停用'}</Tag>}
      testId='resource-item'
      data-kind={item.kind}
      data-name={item.name}
    >
      {item.tags.length > 0 ? (
        <View className='rs-tags' data-testid='resource-tags'>
          {item.tags.map((tag) => (
            <Tag key={tag} tone='plain' outline>
              {tag}
            </Tag>
          ))}
        </View>
      ) : null}
      {item.openingHours ? <Kv k='开放时间'>{item.openingHours}</Kv> : null}
      {item.address ? <Kv k='地址'>{item.address}</Kv> : null}
      {item.availability ? <Kv k='可用'>{item.availability}</Kv> : null}
      <Contact item={item} inFull={list.contactsInFull} />
      {item.openMatches > 0 ? <Text className='st-hint'>{`进行中的匹配 ${item.openMatches} 项`}</Text> : null}
      <View className='st-row'>
        {picking && item.active ? (
          <Button type={picked ? 'primary' : 'default'} aria-pressed={picked} onClick={onPick} data-testid='resource-pick'>
            {picked ? '已选择' : '选择'}
          </Button>
        ) : null}
        {list.canManage ? (
          <Button onClick={onEdit} data-testid='resource-edit'>
            编辑
          </Button>
        ) : null}
      </View>
    </Card>
  )
}

// ---------------------------------------------------------------------------------------------------
// Add and edit

function ResourceForm({
  compoundId,
  item,
  onDone,
  onCancel,
}: {
  compoundId: string
  item: ResourceView | null
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const [kind, setKind] = useState<ResourceKind>(item?.kind ?? 'volunteer')
  const [name, setName] = useState(item?.name ?? '')
  const [tags, setTags] = useState(item?.tags.join('、') ?? '')
  const [hours, setHours] = useState(item?.openingHours ?? '')
  const [address, setAddress] = useState(item?.address ?? '')
  // A masked contact is not put in the form: left empty, it stays as it is.
  const [contactName, setContactName] = useState(item && !item.contactMasked ? item.contactName ?? '' : '')
  const [contactPhone, setContactPhone] = useState(item && !item.contactMasked ? item.contactPhone ?? '' : '')
  const [availability, setAvailability] = useState(item?.availability ?? '')
  const fields = {
    kind,
    name,
    tags: splitTags(tags),
    openingHours: hours || null,
    address: address || null,
    availability: availability || null,
  }
  const contact = {
    ...(contactName || !item || !item.contactMasked ? { contactName: contactName || null } : {}),
    ...(contactPhone || !item || !item.contactMasked ? { contactPhone: contactPhone || null } : {}),
  }
  const save = useMutation(() =>
    item ? updateResource(item.id, { ...fields, ...contact }) : createResource({ compoundId, ...fields, contactName: contactName || null, contactPhone: contactPhone || null }),
  )
  const retire = useMutation(() => updateResource(item!.id, { active: false }))
  const error = save.error ?? retire.error
  return (
    <Card title={item ? `编辑：${item.name}` : '新增资源'} testId='resource-form'>
      <Field label='类型'>
        <Choices
          value={kind}
          onPick={setKind}
          choices={RESOURCE_KINDS.map((k) => ({ value: k, label: RESOURCE_KIND_LABELS[k], testId: `resource-form-kind-${k}` }))}
        />
      </Field>
      <Field label='名称'>
        <Input value={name} maxLength={RESOURCE_NAME_MAX} placeholder='例如 李阿姨、石灰桥小学' onChange={setName} data-testid='resource-form-name' />
      </Field>
      <Field label='技能或服务' optional hint='用顿号或逗号分隔，例如 理发、陪诊'>
        <Input value={tags} maxLength={120} onChange={setTags} data-testid='resource-form-tags' />
      </Field>
      {kind === 'venue' ? (
        <Field label='开放时间'>
          <Input value={hours} maxLength={RESOURCE_HOURS_MAX} placeholder='例如 每天 8:00-20:00' onChange={setHours} data-testid='resource-form-hours' />
        </Field>
      ) : null}
      <Field label='地址或说明' optional>
        <Input value={address} maxLength={RESOURCE_ADDRESS_MAX} onChange={setAddress} data-testid='resource-form-address' />
      </Field>
      <Field label='联系人' optional hint={item?.contactMasked ? '留空则不改动原联系人' : undefined}>
        <Input value={contactName} maxLength={RESOURCE_CONTACT_NAME_MAX} placeholder={item?.contactMasked ? item.contactName ?? '' : ''} onChange={setContactName} data-testid='resource-form-contact' />
      </Field>
      <Field label='联系电话' optional={kind === 'volunteer' ? false : true} hint='手机号或带区号的座机号；只有本小区网格长、物业、自管小组能看到完整号码'>
        <Input value={contactPhone} type='tel' maxLength={20} placeholder={item?.contactMasked ? item.contactPhone ?? '' : ''} onChange={setContactPhone} data-testid='resource-form-phone' />
      </Field>
      <Field label='可用情况' optional>
        <Input value={availability} maxLength={RESOURCE_AVAILABILITY_MAX} placeholder='例如 工作日上午' onChange={setAvailability} data-testid='resource-form-availability' />
      </Field>
      {error ? <ErrorNote message={error.message || '没有保存成功，请再试一次'} requestId={error.requestId} /> : null}
      <Button block type='primary' size='large' loading={save.busy} onClick={() => void save.run().then((ok) => ok && onDone('已保存'))} data-testid='resource-form-save'>
        保存
      </Button>
      {item?.active ? (
        <Button block loading={retire.busy} onClick={() => void retire.run().then((ok) => ok && onDone('已停用，联系方式已清除'))} data-testid='resource-form-retire'>
          停用（清除联系方式）
        </Button>
      ) : null}
      <Button block onClick={onCancel}>
        取消
      </Button>
    </Card>
  )
}

// ---------------------------------------------------------------------------------------------------
// Import

function rowLabel(path: string): string {
  const match = /^row\s+(\d+)$/i.exec(path.trim())
  if (match) return `第 ${match[1]} 行`
  return path === 'file' || path === '' ? '整个文件' : path
}

function ImportErrors({ error }: { error: ApiError }) {
  const details: readonly ErrorDetail[] = error.details ?? []
  return (
    <View data-testid='resource-import-errors'>
      <Notice tone='error' title={details.length > 0 ? `文件中有 ${details.length} 处问题，没有导入任何数据` : '导入失败，没有导入任何数据'}>
        {details.length > 0 ? '请在表格中改正下列问题后重新上传。' : error.message}
      </Notice>
      {details.map((d, i) => (
        <View key={`${d.path}-${i}`} className='rs-error-row' data-testid='resource-import-error'>
          <Text className='st-label'>{rowLabel(d.path)}</Text>
          <Text className='st-text'>{d.message}</Text>
        </View>
      ))}
    </View>
  )
}

function ImportCard({ compoundId, onImported }: { compoundId: string; onImported: () => void }) {
  const [result, setResult] = useState<ResourceImportResult | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const upload = (file: SheetFile) => {
    setBusy(true)
    setResult(null)
    setError(null)
    importResources(compoundId, file).then(
      (done) => {
        setResult(done)
        onImported()
      },
      (failure: unknown) => setError(toApiError(failure)),
    ).finally(() => setBusy(false))
  }
  const template = useMutation(async () => saveInBrowser(await resourceTemplate(), XLSX_TYPE, '资源清单导入模板.xlsx'))
  return (
    <Card title='从表格导入' testId='resource-import'>
      <Text className='st-hint'>{`表头：${RESOURCE_IMPORT_COLUMNS.join('、')}。类型填 单位、志愿者 或 场地；同一类型同名的行会更新已有资源。只要有一行有问题，整个文件都不会导入。`}</Text>
      {process.env.TARO_ENV === 'h5' ? (
        <Button block loading={template.busy} onClick={() => void template.run()} data-testid='resource-template'>
          下载 Excel 模板
        </Button>
      ) : null}
      {process.env.TARO_ENV === 'h5' ? (
        <View className='rs-file'>
          <Button block type='primary' loading={busy}>
            选择表格并导入…
          </Button>
          <input
            className='rs-file__input'
            aria-label='选择表格并导入'
            type='file'
            accept='.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv'
            data-testid='resource-import-file'
            onChange={(event) => {
              const input = event.currentTarget
              const picked = input.files?.[0]
              input.value = ''
              if (!picked) return
              readBrowserFile(picked).then(
                (bytes) => upload({ name: picked.name, bytes }),
                (failure: unknown) => setError(toApiError(failure)),
              )
            }}
          />
        </View>
      ) : (
        <Button
          block
          type='primary'
          loading={busy}
          onClick={() => void chooseInMiniProgram().then((file) => file && upload(file), (failure: unknown) => setError(toApiError(failure)))}
        >
          从微信聊天中选择表格
        </Button>
      )}
      {result ? (
        <Notice tone='ok' title='导入成功' testId='resource-import-result'>
          <Text>{`新增 ${result.created} 项，更新 ${result.updated} 项。`}</Text>
        </Notice>
      ) : null}
      {error ? <ImportErrors error={error} /> : null}
    </Card>
  )
}

// ---------------------------------------------------------------------------------------------------
// Matching a request or a need

function nextWorkingDay(): string {
  const today = localDateString(new Date())
  return defaultCalendar().nextWorkingDay(today)
}

function MatchPanel({
  subject,
  subjectId,
  list,
  picked,
  onMatched,
}: {
  subject: MatchSubject
  subjectId: string
  list: ResourceList
  picked: string[]
  onMatched: () => void
}) {
  const [owner, setOwner] = useState<string>(list.owners[0] ? `staff:${list.owners[0].staffId}` : 'role:property_manager')
  const [target, setTarget] = useState(nextWorkingDay)
  const [note, setNote] = useState('')
  const [saved, setSaved] = useState(0)
  const chosen = list.items.filter((r) => picked.includes(r.id))
  const ownerValue: MatchOwner = owner.startsWith('staff:') ? { staffId: owner.slice(6) } : { role: owner.slice(5) as Role }
  const match = useMutation(() => matchResources({ subject, subjectId, resourceIds: picked, owner: ownerValue, targetDate: target, note: note || null }))
  const today = localDateString(new Date())
  return (
    <Card title={subject === 'ticket' ? '为这条诉求匹配资源' : '为这项需求匹配资源'} testId='match-panel'>
      <Text className='st-hint'>在下面的清单中点「选择」，再定负责人和目标日期（须为工作日）。</Text>
      <Kv k='已选' testId='match-picked'>{chosen.length > 0 ? chosen.map((r) => r.name).join('、') : '尚未选择'}</Kv>
      <Field label='负责人'>
        <Choices
          grid
          value={owner}
          onPick={setOwner}
          testId='match-owner-choices'
          choices={[
            ...list.owners.map((o) => ({ value: `staff:${o.staffId}`, label: `${o.name} · ${ROLE_LABELS[o.role]}`, testId: `match-owner-${o.role}` })),
            ...OWNER_ROLES.map((role) => ({ value: `role:${role}`, label: `${ROLE_LABELS[role]}（岗位）`, testId: `match-owner-role-${role}` })),
          ]}
        />
      </Field>
      <Field label='目标日期'>
        <DateField value={target} start={today} end={localDateString(addLocalDays(new Date(), 366))} title='目标日期' onChange={setTarget} testId='match-target-field' valueTestId='match-target-value' />
      </Field>
      <Field label='说明' optional>
        <TextArea value={note} maxLength={MATCH_NOTE_MAX} placeholder='例如：周二上午上门理发' onChange={setNote} data-testid='match-note' />
      </Field>
      {match.error ? <ErrorNote message={match.error.message || '没有匹配成功，请再试一次'} requestId={match.error.requestId} /> : null}
      {saved > 0 && !match.error ? (
        <Notice tone='ok' testId='match-saved'>
          <Text className='st-text'>{`已匹配 ${saved} 项资源`}</Text>
        </Notice>
      ) : null}
      <Button
        block
        type='primary'
        size='large'
        disabled={picked.length === 0}
        loading={match.busy}
        onClick={() =>
          void match.run().then((ok) => {
            if (!ok) return
            setSaved(picked.length)
            onMatched()
          })
        }
        data-testid='match-save'
      >
        确认匹配
      </Button>
    </Card>
  )
}

// ---------------------------------------------------------------------------------------------------
// The page

function Resources({ compoundId, subject }: { compoundId: string; subject: { kind: MatchSubject; id: string } | null }) {
  const [kind, setKind] = useState<KindFilter>('all')
  const [search, setSearch] = useState('')
  const [q, setQ] = useState('')
  const [editing, setEditing] = useState<ResourceView | 'new' | null>(null)
  const [importing, setImporting] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [picked, setPicked] = useState<string[]>([])
  const [matchesKey, setMatchesKey] = useState(0)
  const list = useResource(`resources:${compoundId}:${kind}:${q}`, () => resourceList(compoundId, { kind: kind === 'all' ? undefined : kind, q }))
  const toggle = (id: string) => setPicked((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]))
  return (
    <Loaded resource={list} rows={4}>
      {(data) => (
        <View>
          <Text className='st-h1' data-testid='resources-compound'>{`${data.compound.name} · 资源清单`}</Text>
          {notice ? (
            <Notice tone='ok' testId='resources-notice'>
              <Text className='st-text'>{notice}</Text>
            </Notice>
          ) : null}
          {subject ? (
            <>
              <MatchPanel
                subject={subject.kind}
                subjectId={subject.id}
                list={data}
                picked={picked}
                onMatched={() => {
                  setPicked([])
                  setMatchesKey((k) => k + 1)
                  void list.reload()
                }}
              />
              <ResourceMatchesCard key={matchesKey} subject={subject.kind} subjectId={subject.id} />
            </>
          ) : null}
          <Card testId='resources-filter'>
            <Choices
              value={kind}
              onPick={setKind}
              testId='resources-kind'
              choices={[{ value: 'all' as KindFilter, label: '全部', testId: 'resources-kind-all' }, ...RESOURCE_KINDS.map((k) => ({ value: k as KindFilter, label: RESOURCE_KIND_LABELS[k], testId: `resources-kind-${k}` }))]}
            />
            <View className='rs-search'>
              <View className='rs-search__input'>
                <Input value={search} maxLength={20} placeholder='按技能或名称搜索，如 理发' onChange={setSearch} onConfirm={() => setQ(search)} data-testid='resources-search' />
              </View>
              <Button onClick={() => setQ(search)} data-testid='resources-search-go'>
                搜索
              </Button>
            </View>
          </Card>
          {data.canManage && editing === null ? (
            <View className='st-row rs-manage'>
              <View className='rs-manage__item'>
                <Button size='large' block onClick={() => setEditing('new')} data-testid='resources-add'>
                  新增资源
                </Button>
              </View>
              <View className='rs-manage__item'>
                <Button size='large' block aria-pressed={importing} onClick={() => setImporting(!importing)} data-testid='resources-import-open'>
                  {importing ? '收起导入' : '从表格导入'}
                </Button>
              </View>
            </View>
          ) : null}
          {data.canManage && importing ? <ImportCard compoundId={compoundId} onImported={() => void list.reload()} /> : null}
          {editing !== null ? (
            <ResourceForm
              key={editing === 'new' ? 'new' : editing.id}
              compoundId={compoundId}
              item={editing === 'new' ? null : editing}
              onCancel={() => setEditing(null)}
              onDone={(message) => {
                setEditing(null)
                setNotice(message)
                void list.reload()
              }}
            />
          ) : null}
          {data.items.length === 0 ? <Nothing title={q ? `没有找到「${q}」相关的资源` : '资源清单还是空的'} testId='resources-none' /> : null}
          {data.items.map((item) => (
            <ResourceCard
              key={item.id}
              item={item}
              list={data}
              picking={subject !== null && data.canMatch}
              picked={picked.includes(item.id)}
              onPick={() => toggle(item.id)}
              onEdit={() => setEditing(item)}
            />
          ))}
          <Text className='st-hint'>志愿者和联系人的电话属于个人信息：列表中打码显示，只有本小区网格长、物业、自管小组可以查看完整号码，每次查看都会记录。</Text>
        </View>
      )}
    </Loaded>
  )
}

function Body() {
  const { params } = useRouter()
  const subject = params.ticketId ? { kind: 'ticket' as const, id: params.ticketId } : params.needId ? { kind: 'need' as const, id: params.needId } : null
  const [picked, setPicked] = useState<string | null>(params.compoundId ?? null)
  const compounds = useResource('resources:compounds', resourceCompounds, { refreshOnShow: false })
  const all = compounds.data?.compounds ?? []
  const compoundId = picked ?? (all.length >= 1 ? all[0].id : null)
  return (
    <View>
      {all.length > 1 ? (
        <Card title='选择小区' testId='resources-picker'>
          <Choices grid value={compoundId} onPick={setPicked} choices={all.map((c) => ({ value: c.id, label: c.name, testId: 'resources-compound-choice' }))} />
        </Card>
      ) : null}
      {compoundId ? (
        <Resources key={compoundId} compoundId={compoundId} subject={subject} />
      ) : compounds.loading || compounds.data === undefined ? (
        <Loaded resource={compounds} rows={2}>
          {() => null}
        </Loaded>
      ) : (
        <Nothing title='没有可查看的资源清单' description='资源清单由小区网格长和社区管理员维护，本小区的办理人员可以查看和匹配。' />
      )}
    </View>
  )
}

/** 资源清单: a compound's units, volunteers and venues; add, edit, import; match them to a request or a need. */
export function ResourcesPage() {
  return (
    <StaffFrame title='资源清单' testId='resources-page'>
      {() => <Body />}
    </StaffFrame>
  )
}

export default ResourcesPage
