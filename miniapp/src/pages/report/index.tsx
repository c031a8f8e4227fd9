import { useCallback, useEffect, useRef, useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Image, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  PAGES, pageUrl,
  CATEGORIES,
  DESCRIPTION_MAX,
  PHOTOS_MAX,
  ROLE_LABELS,
  SEVERITY_LABELS,
  dayTypeOf,
  filingPromise,
  resolveConfig,
  routingRuleFor,
  tokenFromScan,
  urgentSignal,
  type CategoryCode,
  type ScanView,
} from '@mq/shared'
import { getScanView, toApiError, type ApiError } from '@/api/client'
import { isRefusedPhoto } from '@/api/photo-upload'
import { fileRequest, getDuplicates, newIdempotencyKey, uploadPhoto, type FileRequestBody, type PhotoSource } from '@/api/requests'
import { CategoryIcon } from '@/components/category'
import { CharCount } from '@/components/char-count'
import { promiseText, useNow } from '@/components/due'
import { FollowList } from '@/components/follow-list'
import { ensurePrivacyAuthorized } from '@/components/privacy'
import { ResidentPage } from '@/components/resident-page'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Nothing } from '@/ui/states'
import {
  bodyOf,
  clearDraft,
  emptyDraft,
  hasContent,
  loadDraft,
  saveDraft,
  validateDraft,
  type Draft,
  type DraftErrors,
  type FormPhoto,
} from './draft'
import { EmergencySheet, UrgentNotice } from './emergency-sheet'
import { SuggestChips, useCategorySuggestions } from './suggest-chips'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
/** Automatic retries of a submit whose answer was lost, before asking the resident to retry. */
const AUTO_RETRIES = 2


/** Worth sending again with the same key: no answer, a busy server, or the twin still in flight. */
function isTransient(error: ApiError): boolean {
  return error.code === 'NETWORK_ERROR' || error.code === 'CONFLICT' || error.status >= 500
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

let localCounter = 0
function localId(): string {
  localCounter += 1
  return `p${Date.now().toString(36)}${localCounter}`
}

/** Who takes a category here, and what is promised if it is sent now: shown before sending. */
function PromiseCard({ category, place }: { category: CategoryCode; place: ScanView | null }) {
  const now = useNow()
  const rule = routingRuleFor(category)
  const handler = place?.handlers.find((h) => h.role === rule.leadRole)
  const who = handler ? `${handler.roleLabel} ${handler.displayName}` : ROLE_LABELS[rule.leadRole]
  const coRoles = rule.coRoles.map((r) => ROLE_LABELS[r]).join('、')
  // The deadline rules themselves (shared) with this compound's settings (from the scan view), so the
  // promise is the deadline the request will get.
  const rules = place?.deadlines ?? {}
  // Counted on the calendar of the role it goes to: working days for 网格长, every day for 物业.
  const promise = filingPromise(rule.severity, new Date(now), rules, dayTypeOf(rule.leadRole, rules))
  const { simpleCutoff, complexReplyHours } = resolveConfig(rules)
  const replyWithin = complexReplyHours % 24 === 0 ? `${complexReplyHours / 24}天` : `${complexReplyHours}小时`
  return (
    <View className='mq-card mq-notice report-promise' data-testid='report-promise'>
      <Text className='report-promise__big' data-testid='report-promise-by'>
        {promiseText(promise, now)}
      </Text>
      <Text className='mq-text'>{`${SEVERITY_LABELS[rule.severity]} · 由${who}负责${coRoles ? `，${coRoles}协助` : ''}`}</Text>
      <Text className='mq-muted'>
        {rule.severity === 'simple'
          ? `简单问题当天办结；${simpleCutoff} 以后提交的，第二天办结。`
          : `复杂问题${replyWithin}内给您明确答复和办理时间。`}
      </Text>
    </View>
  )
}

/**
 * One photo of the form. Uploading: the percentage in large type over a bar. Failed on the way: 重试
 * over the picture. Refused for what the file is: a whole row with the server's reason and 删除, since
 * sending it again cannot help.
 */
function PhotoTile({
  photo,
  disabled,
  onRemove,
  onRetry,
}: {
  photo: FormPhoto
  disabled: boolean
  onRemove: () => void
  onRetry: () => void
}) {
  if (photo.status === 'refused') {
    return (
      <View className='mq-photo report-photo report-photo--refused' data-testid='report-photo' data-status='refused'>
        <Text className='report-photo__reason' data-testid='report-photo-reason'>
          {photo.error || '这个文件传不上去'}
        </Text>
        {disabled ? null : (
          <Button className='report-photo__delete' type='danger' fill='outline' onClick={onRemove} data-testid='report-photo-delete'>
            删除
          </Button>
        )}
      </View>
    )
  }
  return (
    <View className={`mq-photo report-photo report-photo--${photo.status}`} data-testid='report-photo' data-status={photo.status}>
      {photo.preview ? (
        <Image className='mq-photo__img' src={photo.preview} mode='aspectFill' />
      ) : (
        <Text className='mq-photo__placeholder'>照片已上传</Text>
      )}
      {photo.status === 'uploading' ? (
        <View className='report-photo__overlay' data-testid='report-photo-progress'>
          {photo.progress > 0 ? (
            <Text className='report-photo__percent'>{`${photo.progress}%`}</Text>
          ) : (
            <Text className='report-photo__preparing'>准备中…</Text>
          )}
          <View className='report-photo__bar'>
            <View className='report-photo__fill' style={{ width: `${photo.progress}%` }} />
          </View>
        </View>
      ) : null}
      {photo.status === 'failed' ? (
        <View
          className='report-photo__overlay report-photo__overlay--failed'
          role='button'
          aria-label={`${photo.error || '没有传上去'}，点此重试`}
          onClick={disabled ? undefined : onRetry}
          data-testid='report-photo-retry'
        >
          <Text className='report-photo__failed'>没传上去</Text>
          <Text className='report-photo__retry'>重试</Text>
        </View>
      ) : null}
      {disabled ? null : (
        <View className='report-photo__remove' role='button' aria-label='删除这张照片' onClick={onRemove} data-testid='report-photo-remove'>
          <Text>×</Text>
        </View>
      )}
    </View>
  )
}

/**
 * Sends the body with its key, again with the same key while the answer is lost (no answer, a busy
 * server, the twin still in flight); fails with the last error.
 */
async function sendWithRetries(body: FileRequestBody, key: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fileRequest(body, key)
    } catch (error) {
      if (attempt < AUTO_RETRIES && isTransient(toApiError(error))) {
        await sleep(800 * (attempt + 1))
        continue
      }
      throw error
    }
  }
}

/** The form that files a request for the unit of a QR code. */
export function ReportPage() {
  const { params } = useRouter()
  const token = tokenFromScan({ token: params.token, q: params.q })

  const [draft, setDraft] = useState<Draft>(() => (token ? loadDraft(token) : emptyDraft()))
  const [errors, setErrors] = useState<DraftErrors>({})
  const [tried, setTried] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const sources = useRef(new Map<string, PhotoSource>())
  const send = useMutation(sendWithRetries)
  // Sending; or sent without an answer (the body is kept as `pending` and the form locked to it).
  const locked = send.busy || draft.pending !== null
  const unconfirmed = !send.busy && draft.pending !== null

  // The draft follows every change into storage, so leaving the page loses nothing.
  useEffect(() => {
    if (!token) return
    if (hasContent(draft) || draft.pending) saveDraft(token, draft)
    else clearDraft(token)
  }, [token, draft])

  // Once the resident has tried to send, errors follow the fields as they are fixed.
  useEffect(() => {
    if (tried) setErrors(validateDraft(draft))
  }, [tried, draft])

  // The form works without the place's names (the server checks the code when filing), and without the
  // duplicates (only a hint).
  const place = useResource(token ? `scan:${token}` : null, () => getScanView(token!), { refreshOnShow: false }).data ?? null
  const category = draft.category
  const duplicates =
    useResource(token && category ? `duplicates:${token}:${category}` : null, () => getDuplicates(token!, category!), {
      refreshOnShow: false,
    }).data ?? []

  // Danger in the category or the words: the emergency numbers come first, once, over the page; the
  // server decides urgency by the same shared rule when the request is filed.
  // Categories the words point to, as chips under the description: the resident still chooses.
  const suggestions = useCategorySuggestions(draft.description, place?.compound.id ?? null)
  // The compound's danger list from the scan view (the defaults from an older server), as filing judges.
  const danger = urgentSignal({ category, description: draft.description }, place?.urgent)
  const [sheet, setSheet] = useState<'unseen' | 'open' | 'closed'>('unseen')
  useEffect(() => {
    if (danger.urgent && sheet === 'unseen') setSheet('open')
  }, [danger.urgent, sheet])

  const update = useCallback((change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change })), [])
  const updatePhoto = useCallback(
    (id: string, change: Partial<FormPhoto>) =>
      setDraft((d) => ({ ...d, photos: d.photos.map((p) => (p.localId === id ? { ...p, ...change } : p)) })),
    [],
  )

  const upload = useCallback(
    (id: string) => {
      const source = sources.current.get(id)
      if (!source) return
      updatePhoto(id, { status: 'uploading', progress: 0, error: null })
      uploadPhoto(source, (progress) => updatePhoto(id, { progress: Math.min(99, progress) })).then(
        (uploaded) => {
          sources.current.delete(id)
          updatePhoto(id, { status: 'done', progress: 100, id: uploaded.id })
        },
        (error: unknown) => {
          const failure = toApiError(error)
          const refused = isRefusedPhoto(failure)
          // A refused file is never sent again: its source goes now.
          if (refused) sources.current.delete(id)
          updatePhoto(id, { status: refused ? 'refused' : 'failed', error: failure.message })
        },
      )
    },
    [updatePhoto],
  )

  const addPhotos = (picked: { source: PhotoSource; preview: string }[]) => {
    const room = PHOTOS_MAX - draft.photos.length
    const accepted = picked.slice(0, Math.max(0, room))
    if (picked.length > accepted.length) void Taro.showToast({ title: `最多${PHOTOS_MAX}张照片`, icon: 'none' })
    const added: FormPhoto[] = accepted.map(({ source, preview }) => {
      const id = localId()
      sources.current.set(id, source)
      return { localId: id, preview, status: 'uploading', progress: 0, id: null, error: null }
    })
    setDraft((d) => ({ ...d, photos: [...d.photos, ...added] }))
    for (const photo of added) upload(photo.localId)
  }

  const chooseInWechat = async () => {
    if (!(await ensurePrivacyAuthorized())) return
    try {
      const res = await Taro.chooseImage({
        count: PHOTOS_MAX - draft.photos.length,
        sizeType: ['compressed'],
        sourceType: ['camera', 'album'],
      })
      addPhotos(res.tempFiles.map((f) => ({ source: { kind: 'path', path: f.path, size: f.size }, preview: f.path })))
    } catch {
      // Cancelled.
    }
  }

  const removePhoto = (id: string) => {
    sources.current.delete(id)
    const preview = draft.photos.find((p) => p.localId === id)?.preview
    if (preview?.startsWith('blob:')) URL.revokeObjectURL(preview)
    setDraft((d) => ({ ...d, photos: d.photos.filter((p) => p.localId !== id) }))
  }

  const submit = async () => {
    if (!token || send.busy) return
    setSubmitError(null)
    let body = draft.pending
    if (!body) {
      setTried(true)
      const found = validateDraft(draft)
      setErrors(found)
      if (Object.keys(found).length > 0) return
      body = bodyOf(token, draft)
    }
    const key = draft.idempotencyKey
    // Stored before anything is sent: if the app dies mid-request, the retry still uses this key and body.
    const sending = { ...draft, pending: body }
    saveDraft(token, sending)
    setDraft(sending)
    const view = await send.run(body, key)
    if (view) {
      clearDraft(token)
      await Taro.redirectTo({ url: pageUrl(PAGES.resident.detail, { id: view.id, filed: 1 }) })
    }
  }

  // A failed send: still unanswered (keep the body and key, offer 重新提交), or refused by the server
  // (nothing was filed with this body; the resident may change it and send again).
  const failure = send.error
  useEffect(() => {
    if (!failure) return
    if (isTransient(failure)) {
      setSubmitError('网络不太稳定，还没收到提交结果。内容已保存，请点「重新提交」——不会重复提交。')
      return
    }
    setDraft((d) => ({
      ...d,
      pending: null,
      // Used with another body: a fresh key so the corrected request can be filed.
      idempotencyKey: failure.code === 'IDEMPOTENCY_MISMATCH' ? newIdempotencyKey() : d.idempotencyKey,
    }))
    setSubmitError(failure.message || '提交没有成功，请稍后再试')
  }, [failure])

  if (!token) {
    return (
      <ResidentPage title='反映问题' testId='report-page'>
        <Nothing
          title='请先扫描楼道二维码'
          description='反映问题要从您家楼道里张贴的「民情二维码」进入，这样工作人员才知道是哪栋楼。'
          testId='report-no-token'
        />
      </ResidentPage>
    )
  }

  const length = draft.description.trim().length
  const uploading = draft.photos.some((p) => p.status === 'uploading')

  return (
    <ResidentPage title='反映问题' testId='report-page' className='report'>
      <View className='mq-card report-place' data-testid='report-place'>
        <Text className='mq-muted'>反映的位置</Text>
        <Text className='mq-subtitle'>
          {place ? `${place.compound.name} ${place.building.name} ${place.unit.name}` : '正在读取位置…'}
        </Text>
      </View>

      {unconfirmed ? (
        <View className='mq-card mq-notice mq-notice--warn' data-testid='report-unconfirmed'>
          <Text className='mq-subtitle'>上次提交还没有确认</Text>
          <Text className='mq-text'>
            {submitError ?? '上次点了提交，但没有收到结果。内容已保存，请点「重新提交」——不会重复提交。'}
          </Text>
        </View>
      ) : null}

      <View className='mq-card' data-testid='report-categories'>
        <Text className='mq-subtitle'>1. 遇到了什么问题？</Text>
        <View className='report-grid'>
          {CATEGORIES.map((c) => (
            <View
              key={c.code}
              className={`report-cat${draft.category === c.code ? ' report-cat--on' : ''}${locked ? ' report-cat--locked' : ''}`}
              role='button'
              aria-pressed={draft.category === c.code}
              aria-disabled={locked || undefined}
              onClick={() => {
                if (!locked) update({ category: c.code })
              }}
              data-testid={`category-${c.code}`}
            >
              <CategoryIcon code={c.code} />
              <Text className='report-cat__label'>{c.label}</Text>
              <Text className='mq-muted report-cat__hint'>{c.hint}</Text>
            </View>
          ))}
        </View>
        {errors.category ? (
          <Text className='mq-field-error' data-testid='report-error-category'>
            {errors.category}
          </Text>
        ) : null}
      </View>

      {danger.urgent ? (
        <UrgentNotice onShowNumbers={() => setSheet('open')} />
      ) : draft.category ? (
        <PromiseCard category={draft.category} place={place} />
      ) : null}

      {duplicates.length > 0 && !locked ? (
        <View className='report-duplicates'>
          <View className='mq-card mq-notice'>
            <Text className='mq-subtitle'>本楼已有人反映过类似问题</Text>
            <Text className='mq-text'>如果是同一件事，点「我也遇到了」就行，不用重复反映；有进展会一起告诉您。</Text>
          </View>
          <FollowList items={duplicates} token={token} testId='report-duplicates' />
        </View>
      ) : null}

      <View className='mq-card'>
        <Text className='mq-subtitle'>2. 说说具体情况</Text>
        <TextArea
          className='report-description'
          value={draft.description}
          disabled={locked}
          // No cut: a pasted text stays whole; the counter turns red and the form says what to shorten.
          maxLength={-1}
          rows={6}
          placeholder='比如：3楼楼道灯坏了，晚上看不清台阶。'
          onChange={(description) => update({ description })}
          data-testid='report-description'
        />
        <CharCount length={length} max={DESCRIPTION_MAX} testId='report-counter' />
        {errors.description ? (
          <Text className='mq-field-error' data-testid='report-error-description'>
            {errors.description}
          </Text>
        ) : null}
        <SuggestChips
          suggestions={suggestions}
          chosen={draft.category}
          disabled={locked}
          onPick={(code) => update({ category: code })}
          testId='report-suggest'
        />
      </View>

      <View className='mq-card'>
        <Text className='mq-subtitle'>{`3. 拍照片（可选，最多${PHOTOS_MAX}张）`}</Text>
        <View className='mq-photos'>
          {draft.photos.map((photo) => (
            <PhotoTile
              key={photo.localId}
              photo={photo}
              disabled={locked}
              onRemove={() => removePhoto(photo.localId)}
              onRetry={() => upload(photo.localId)}
            />
          ))}
          {draft.photos.length < PHOTOS_MAX && !locked ? (
            IS_H5 ? (
              <label className='mq-photo report-add' data-testid='report-add-photo'>
                <input
                  className='report-add__input'
                  type='file'
                  accept='image/jpeg,image/png,image/webp'
                  multiple
                  data-testid='report-photo-input'
                  onChange={(event) => {
                    const input = event.currentTarget
                    const files = Array.from(input.files ?? [])
                    input.value = ''
                    addPhotos(files.map((file) => ({ source: { kind: 'file', file }, preview: URL.createObjectURL(file) })))
                  }}
                />
                <Text className='report-add__plus'>＋</Text>
                <Text className='report-add__text'>添加照片</Text>
              </label>
            ) : (
              <View className='mq-photo report-add' onClick={() => void chooseInWechat()} data-testid='report-add-photo'>
                <Text className='report-add__plus'>＋</Text>
                <Text className='report-add__text'>拍照/相册</Text>
              </View>
            )
          ) : null}
        </View>
        {errors.photos ? (
          <Text className='mq-field-error' data-testid='report-error-photos'>
            {errors.photos}
          </Text>
        ) : null}
      </View>

      {submitError && !unconfirmed ? (
        <Text className='mq-field-error report-submit-error' data-testid='report-submit-error'>
          {submitError}
        </Text>
      ) : null}
      <Button
        type='primary'
        size='large'
        block
        className='mq-action report-submit'
        loading={send.busy}
        onClick={() => void submit()}
        data-testid='report-submit'
      >
        {send.busy ? '正在提交…' : unconfirmed ? '重新提交' : uploading ? '照片上传中…' : '提交'}
      </Button>
      <Text className='mq-muted report-footnote'>内容会自动保存，离开页面也不会丢。您的姓名和电话不会公开。</Text>
      {danger.urgent && sheet === 'open' ? (
        <EmergencySheet
          hotline={place?.hotline}
          propertyPhone={place?.urgent?.propertyPhone}
          words={danger.words}
          onContinue={() => setSheet('closed')}
        />
      ) : null}
    </ResidentPage>
  )
}

export default ReportPage
