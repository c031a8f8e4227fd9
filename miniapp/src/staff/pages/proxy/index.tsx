import { useEffect, useRef, useState } from 'react'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
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
import { toApiError, type ApiError } from '@/api/client'
import {
  duplicateList,
  fileProxyRequest,
  newIdempotencyKey,
  unitsOfCompound,
  type BuildingChoice,
} from '@/api/staff-requests'
import { localDateTime } from '@mq/shared'
import { PhotoPicker, type PickedPhoto } from '../../components/photo-picker'
import { ErrorNote, StaffFrame } from '../../components/staff-frame'
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
  const [buildings, setBuildings] = useState<BuildingChoice[] | null>(null)
  const [building, setBuilding] = useState<string | null>(null)
  const [unitId, setUnitId] = useState<string | null>(null)
  const [residentName, setResidentName] = useState('')
  const [residentPhone, setResidentPhone] = useState('')
  const [room, setRoom] = useState('')
  const [channel, setChannel] = useState<ProxyChannel | null>(null)
  const [category, setCategory] = useState<CategoryCode | null>(null)
  const [description, setDescription] = useState('')
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  const [duplicates, setDuplicates] = useState<PublicRequest[]>([])
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [loadError, setLoadError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per body: a retry of the same entry is answered with the request already filed.
  const attempt = useRef<{ key: string; body: string } | null>(null)

  useEffect(() => {
    if (!compoundId) return undefined
    let current = true
    setBuildings(null)
    setBuilding(null)
    setUnitId(null)
    unitsOfCompound(compoundId).then(
      (list) => {
        if (!current) return
        setBuildings(list)
        setLoadError(null)
      },
      (error: unknown) => {
        if (current) setLoadError(toApiError(error))
      },
    )
    return () => {
      current = false
    }
  }, [compoundId])

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
  const descriptionOver = description.trim().length - DESCRIPTION_MAX
  const uploading = photos.some((p) => !p.id && !p.failed)

  async function submit(): Promise<void> {
    setFailure(null)
    const input = {
      unitId: unitId ?? '',
      category: category ?? undefined,
      channel: channel ?? undefined,
      residentName: residentName.trim(),
      residentPhone: residentPhone.trim() || undefined,
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
    setBusy(true)
    try {
      const filed = await fileProxyRequest(parsed.data, attempt.current.key)
      await Taro.redirectTo({ url: requestUrl(filed.id) })
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'VALIDATION_FAILED' && apiError.details.length > 0) {
        setErrors(Object.fromEntries(apiError.details.map((d) => [d.path.split('.')[0], d.message])))
      }
      setFailure(apiError)
    } finally {
      setBusy(false)
    }
  }

  if (compounds.length === 0) {
    return (
      <View className='st-card' data-testid='proxy-no-compound'>
        <Text className='st-h2'>暂时不能在这里代录</Text>
        <Text className='st-text'>代录需要在小区一级任职（如网格长、物业）。请联系本小区网格长代录，或请社区管理员调整您的岗位。</Text>
      </View>
    )
  }

  return (
    <View data-testid='proxy-form'>
      <View className='st-alert st-alert--notice'>
        <Text className='st-alert__text'>帮不用智能手机的居民登记诉求。您将作为联系人，收到办理进展，并在办结后电话回访。</Text>
      </View>

      <View className='st-card'>
        <Text className='st-h2'>1. 在哪里</Text>
        {compounds.length > 1 ? (
          <View className='st-field'>
            <Text className='st-label'>小区</Text>
            <View className='st-chips' data-testid='proxy-compound'>
              {compounds.map((c) => (
                <Button
                  key={c.id}
                  className={`st-chip${c.id === compoundId ? ' st-chip--on' : ''}`}
                  onClick={() => setCompoundId(c.id)}
                >
                  {c.name}
                </Button>
              ))}
            </View>
          </View>
        ) : (
          <Text className='st-muted'>{`小区：${compounds[0].name}`}</Text>
        )}
        {loadError ? <ErrorNote message={loadError.message} requestId={loadError.requestId} /> : null}
        {compoundId && !buildings && !loadError ? <Text className='st-muted'>正在读取楼栋…</Text> : null}
        {buildings ? (
          <View className='st-field'>
            <Text className='st-label'>楼栋</Text>
            <View className='st-chips' data-testid='proxy-building'>
              {buildings.map((b) => (
                <Button
                  key={b.name}
                  className={`st-chip${b.name === building ? ' st-chip--on' : ''}`}
                  onClick={() => {
                    setBuilding(b.name)
                    setUnitId(null)
                  }}
                >
                  {b.name}
                </Button>
              ))}
            </View>
          </View>
        ) : null}
        {building ? (
          <View className='st-field'>
            <Text className='st-label'>单元</Text>
            <View className='st-chips' data-testid='proxy-unit'>
              {units.map((u) => (
                <Button
                  key={u.id}
                  className={`st-chip${u.id === unitId ? ' st-chip--on' : ''}`}
                  onClick={() => setUnitId(u.id)}
                >
                  {u.name}
                </Button>
              ))}
            </View>
          </View>
        ) : null}
        <FieldError errors={errors} field='unitId' />
        <View className='st-field'>
          <Text className='st-label'>
            房号<Text className='st-label__opt'>选填</Text>
          </Text>
          <Input className='st-input' value={room} maxlength={20} placeholder='例如 302' onInput={(e) => setRoom(e.detail.value)} data-testid='proxy-room' />
          <FieldError errors={errors} field='room' />
        </View>
      </View>

      <View className='st-card'>
        <Text className='st-h2'>2. 谁反映的</Text>
        <View className='st-field'>
          <Text className='st-label'>居民姓名</Text>
          <Input
            className='st-input'
            value={residentName}
            maxlength={20}
            placeholder='例如 张桂芳'
            onInput={(e) => setResidentName(e.detail.value)}
            data-testid='proxy-name'
          />
          <FieldError errors={errors} field='residentName' />
        </View>
        <View className='st-field'>
          <Text className='st-label'>
            联系电话<Text className='st-label__opt'>选填</Text>
          </Text>
          <Input
            className='st-input'
            type='number'
            value={residentPhone}
            maxlength={11}
            placeholder='11位手机号'
            onInput={(e) => setResidentPhone(e.detail.value)}
            data-testid='proxy-phone'
          />
          <FieldError errors={errors} field='residentPhone' />
        </View>
        <View className='st-field'>
          <Text className='st-label'>怎么反映的</Text>
          <View className='st-chips' data-testid='proxy-channel'>
            {PROXY_CHANNELS.map((c) => (
              <Button
                key={c}
                className={`st-chip${c === channel ? ' st-chip--on' : ''}`}
                onClick={() => setChannel(c)}
                data-testid={`proxy-channel-${c}`}
              >
                {CHANNEL_LABELS[c]}
              </Button>
            ))}
          </View>
          <FieldError errors={errors} field='channel' />
        </View>
      </View>

      <View className='st-card'>
        <Text className='st-h2'>3. 什么问题</Text>
        <View className='st-chips st-chips--grid' data-testid='proxy-category'>
          {CATEGORIES.map((c) => (
            <Button
              key={c.code}
              className={`st-chip${c.code === category ? ' st-chip--on' : ''}`}
              onClick={() => setCategory(c.code)}
              data-testid={`proxy-category-${c.code}`}
            >
              {c.label}
            </Button>
          ))}
        </View>
        <FieldError errors={errors} field='category' />
        {category ? <Text className='st-hint'>{`${categoryOf(category).hint}`}</Text> : null}
        {duplicates.length > 0 ? (
          <View className='st-alert st-alert--notice proxy-duplicates' data-testid='proxy-duplicates'>
            <Text className='st-alert__text'>{`本楼栋近 14 天已有 ${duplicates.length} 条同类诉求在办理，如是同一件事，可不必重复登记：`}</Text>
            {duplicates.map((d) => (
              <Text key={d.id} className='st-hint'>
                {`${d.number} · ${stateLabel(d)} · ${localDateTime(d.createdAt)} · ${d.publicText.slice(0, 30)}`}
              </Text>
            ))}
          </View>
        ) : null}
        <View className='st-field'>
          <Text className='st-label'>问题描述</Text>
          <Textarea
            className='st-textarea'
            value={description}
            // No cut: a pasted text stays whole; the counter turns red and filing says what to shorten.
            maxlength={-1}
            placeholder='按居民的话记下：什么问题、在哪里、从什么时候开始'
            onInput={(e) => setDescription(e.detail.value)}
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
        </View>
        <View className='st-field'>
          <Text className='st-label'>
            照片<Text className='st-label__opt'>选填</Text>
          </Text>
          <PhotoPicker photos={photos} onChange={setPhotos} testId='proxy-photos' />
        </View>
      </View>

      {failure ? <ErrorNote message={failure.message} requestId={failure.requestId} /> : null}
      <Button
        className='st-btn st-btn--primary proxy-submit'
        disabled={busy || uploading || undefined}
        onClick={() => void submit()}
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
