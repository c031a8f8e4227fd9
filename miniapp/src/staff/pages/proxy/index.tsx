import { useEffect, useRef, useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import {
  CATEGORIES,
  CHANNEL_LABELS,
  DESCRIPTION_MAX,
  PROXY_CHANNELS,
  ProxyTicketSchema,
  stateLabel,
  can,
  categoryOf,
  type CategoryCode,
  type ProxyChannel,
  type PublicRequest,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import {
  duplicateList,
  fileProxyRequest,
  newIdempotencyKey,
  unitsOfCompound,
  type BuildingChoice,
} from '@/api/staff-requests'
import { localDateTime } from '@mq/shared'
import { PhotoPicker, type PickedPhoto } from '../../components/photo-picker'
import { SuggestChips, useCategorySuggestions } from '@/pages/report/suggest-chips'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { ErrorNote, Field } from '../../components/parts'
import { StaffFrame } from '../../components/staff-frame'
import { requestUrl } from '../../routes'
import './index.scss'

type Field = 'unitId' | 'residentName' | 'residentPhone' | 'room' | 'channel' | 'category' | 'description' | 'photoIds'

/** The compounds where the caller may file proxy entries (memberships at a compound; see the report on gaps). */
function compoundsOf(me: StaffMe): { id: string; name: string }[] {
  const seen = new Map<string, string>()
  for (const m of me.memberships) {
    if (can(m.role, 'file_proxy_tickets') && m.place.kind === 'compound') seen.set(m.place.id, m.place.name)
  }
  return [...seen].map(([id, name]) => ({ id, name }))
}

function FieldError({ errors, field }: { errors: Partial<Record<Field, string>>; field: Field }) {
  return errors[field] ? (
    <Text className='st-field-error' data-testid={`proxy-error-${field}`}>
      {errors[field]}
    </Text>
  ) : null
}

function ProxyForm({ me }: { me: StaffMe }) {
  const compounds = compoundsOf(me)
  const [compoundId, setCompoundId] = useState<string | null>(compounds.length === 1 ? compounds[0].id : null)
  const [building, setBuilding] = useState<string | null>(null)
  const [unitId, setUnitId] = useState<string | null>(null)
  const [residentName, setResidentName] = useState('')
  const [residentPhone, setResidentPhone] = useState('')
  // Never assumed: only when the resident said yes to text messages.
  const [smsConsent, setSmsConsent] = useState(false)
  const [room, setRoom] = useState('')
  const [channel, setChannel] = useState<ProxyChannel | null>(null)
  const [category, setCategory] = useState<CategoryCode | null>(null)
  const [description, setDescription] = useState('')
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  const [duplicates, setDuplicates] = useState<PublicRequest[]>([])
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  // One key per body: a retry of the same entry is answered with the request already filed.
  const attempt = useRef<{ key: string; body: string } | null>(null)

  const places = useResource<BuildingChoice[]>(compoundId ? `units:${compoundId}` : null, () => unitsOfCompound(compoundId!), {
    refreshOnShow: false,
  })
  const buildings = places.data ?? null
  const filing = useMutation(async (input: Parameters<typeof fileProxyRequest>[0], key: string) => {
    const filed = await fileProxyRequest(input, key)
    await Taro.redirectTo({ url: requestUrl(filed.id) })
  })
  const busy = filing.busy
  const failure = filing.error

  useEffect(() => {
    // The server names the fields it refused.
    if (failure?.code === 'VALIDATION_FAILED' && failure.details.length > 0) {
      setErrors(Object.fromEntries(failure.details.map((d) => [d.path.split('.')[0], d.message])))
    }
  }, [failure])

  useEffect(() => {
    if (!unitId || !category) {
      setDuplicates([])
      return undefined
    }
    let current = true
    duplicateList(unitId, category).then(
      (items) => {
        if (current) setDuplicates(items)
      },
      () => {
        if (current) setDuplicates([]) // a hint only: filing still works
      },
    )
    return () => {
      current = false
    }
  }, [unitId, category])

  const units = buildings?.find((b) => b.name === building)?.units ?? []
  // Categories the resident's words point to (this compound's lessons included); staff still choose.
  const suggestions = useCategorySuggestions(description, compoundId)
  const descriptionOver = description.trim().length - DESCRIPTION_MAX
  const uploading = photos.some((p) => !p.id && !p.failed)

  function pickCompound(id: string): void {
    setCompoundId(id)
    setBuilding(null)
    setUnitId(null)
  }

  function submit(): void {
    filing.reset()
    const input = {
      unitId: unitId ?? '',
      category: category ?? undefined,
      channel: channel ?? undefined,
      residentName: residentName.trim(),
      residentPhone: residentPhone.trim() || undefined,
      smsConsent,
      room: room.trim() || undefined,
      description: description.trim(),
      photoIds: photos.map((p) => p.id).filter((id): id is string => Boolean(id)),
    }
    const parsed = ProxyTicketSchema.safeParse(input)
    if (!parsed.success) {
      const found: Partial<Record<Field, string>> = {}
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as Field
        found[field] ??=
          field === 'unitId'
            ? '请选择楼栋和单元'
            : field === 'channel'
              ? '请选择渠道'
              : field === 'category'
                ? '请选择问题类别'
                : field === 'description' && descriptionOver > 0
                  ? `${issue.message}，现在是${description.trim().length}字`
                  : issue.message
      }
      setErrors(found)
      return
    }
    setErrors({})
    const body = JSON.stringify(parsed.data)
    if (attempt.current?.body !== body) attempt.current = { key: newIdempotencyKey(), body }
    void filing.run(parsed.data, attempt.current.key)
  }

  if (compounds.length === 0) {
    return (
      <Card title='暂时不能在这里代录' testId='proxy-no-compound'>
        <Text className='st-text'>代录需要在小区一级任职（如网格长、物业）。请联系本小区网格长代录，或请社区管理员调整您的岗位。</Text>
      </Card>
    )
  }

  return (
    <View data-testid='proxy-form'>
      <Notice tone='warn'>
        <Text className='st-text'>帮不用智能手机的居民登记诉求。您将作为联系人，收到办理进展，并在办结后电话回访。</Text>
      </Notice>

      <Card title='1. 在哪里'>
        {compounds.length > 1 ? (
          <Field label='小区'>
            <Choices choices={compounds.map((c) => ({ value: c.id, label: c.name }))} value={compoundId} onPick={pickCompound} testId='proxy-compound' />
          </Field>
        ) : (
          <Text className='st-muted'>{`小区：${compounds[0].name}`}</Text>
        )}
        {compoundId ? (
          <Field label='楼栋'>
            <Loaded resource={places} rows={2}>
              {(list) => (
                <Choices
                  choices={list.map((b) => ({ value: b.name, label: b.name }))}
                  value={building}
                  onPick={(name) => {
                    setBuilding(name)
                    setUnitId(null)
                  }}
                  testId='proxy-building'
                />
              )}
            </Loaded>
          </Field>
        ) : null}
        {building ? (
          <Field label='单元'>
            <Choices
              choices={units.map((u) => ({ value: u.id, label: u.name }))}
              value={unitId}
              onPick={setUnitId}
              testId='proxy-unit'
            />
          </Field>
        ) : null}
        <FieldError errors={errors} field='unitId' />
        <Field label='房号' optional>
          <Input value={room} maxLength={20} placeholder='例如 302' onChange={setRoom} data-testid='proxy-room' />
          <FieldError errors={errors} field='room' />
        </Field>
      </Card>

      <Card title='2. 谁反映的'>
        <Field label='居民姓名'>
          <Input value={residentName} maxLength={20} placeholder='例如 张桂芳' onChange={setResidentName} data-testid='proxy-name' />
          <FieldError errors={errors} field='residentName' />
        </Field>
        <Field label='联系电话' optional>
          <Input
            type='number'
            value={residentPhone}
            maxLength={11}
            placeholder='11位手机号'
            onChange={setResidentPhone}
            data-testid='proxy-phone'
          />
          <FieldError errors={errors} field='residentPhone' />
          <Choices
            choices={[{ value: 'sms', label: '居民同意接收短信通知', testId: 'proxy-sms-consent' }]}
            value={smsConsent ? ['sms'] : []}
            onPick={() => setSmsConsent(!smsConsent)}
            multiple
          />
          <Text className='st-hint'>
            {smsConsent
              ? '受理、答复、请居民补充、留言、办结或不予受理时，系统会给这个号码发短信（含诉求编号和查看链接）。'
              : '问过居民、居民同意后再选。不选则只通知您。'}
          </Text>
        </Field>
        <Field label='怎么反映的'>
          <Choices
            choices={PROXY_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c], testId: `proxy-channel-${c}` }))}
            value={channel}
            onPick={setChannel}
            testId='proxy-channel'
          />
          <FieldError errors={errors} field='channel' />
        </Field>
      </Card>

      <Card title='3. 什么问题'>
        <Choices
          choices={CATEGORIES.map((c) => ({ value: c.code, label: c.label, testId: `proxy-category-${c.code}` }))}
          value={category}
          onPick={setCategory}
          grid
          testId='proxy-category'
        />
        <FieldError errors={errors} field='category' />
        {category ? <Text className='st-hint'>{`${categoryOf(category).hint}`}</Text> : null}
        {duplicates.length > 0 ? (
          <View className='proxy-duplicates'>
            <Notice tone='warn' testId='proxy-duplicates'>
              <Text className='st-text'>{`本楼栋近 14 天已有 ${duplicates.length} 条同类诉求在办理，如是同一件事，可不必重复登记：`}</Text>
              {duplicates.map((d) => (
                <Text key={d.id} className='st-hint'>
                  {`${d.number} · ${stateLabel(d)} · ${localDateTime(d.createdAt)} · ${d.publicText.slice(0, 30)}`}
                </Text>
              ))}
            </Notice>
          </View>
        ) : null}
        <Field label='问题描述'>
          <TextArea
            value={description}
            // No cut: a pasted text stays whole; the counter turns red and filing says what to shorten.
            maxLength={-1}
            placeholder='按居民的话记下：什么问题、在哪里、从什么时候开始'
            onChange={setDescription}
            data-testid='proxy-description'
          />
          <Text
            className={`st-counter${descriptionOver > 0 ? ' st-counter--over' : ''}`}
            data-testid='proxy-counter'
            data-over={descriptionOver > 0 ? 'true' : 'false'}
          >
            {descriptionOver > 0
              ? `${description.trim().length}/${DESCRIPTION_MAX}，请删去${descriptionOver}字`
              : `${description.trim().length}/${DESCRIPTION_MAX}`}
          </Text>
          <FieldError errors={errors} field='description' />
          <SuggestChips suggestions={suggestions} chosen={category} onPick={setCategory} testId='proxy-suggest' />
        </Field>
        <Field label='照片' optional>
          <PhotoPicker photos={photos} onChange={setPhotos} testId='proxy-photos' />
        </Field>
      </Card>

      {failure ? <ErrorNote message={failure.message} requestId={failure.requestId} /> : null}
      <Button
        type='primary'
        fill='solid'
        size='large'
        block
        className='proxy-submit'
        disabled={busy || uploading}
        onClick={submit}
        data-testid='proxy-submit'
      >
        {busy ? '正在提交…' : uploading ? '照片上传中…' : '提交诉求'}
      </Button>
    </View>
  )
}

/** 代录: a staff member files a request for a resident without a smartphone and becomes the contact. */
export function StaffProxyPage() {
  return (
    <StaffFrame title='代录诉求' testId='staff-proxy'>
      {(me) => <ProxyForm me={me} />}
    </StaffFrame>
  )
}

export default StaffProxyPage
