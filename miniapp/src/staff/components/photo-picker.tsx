import { useEffect, useRef, useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PHOTOS_MAX, PHOTO_CONTENT_TYPES, type PhotoRef } from '@mq/shared'
import { toApiError } from '@/api/client'
import { isRefusedPhoto } from '@/api/photo-upload'
import { ensurePrivacyAuthorized } from '@/components/privacy'
import { photoForDisplay, uploadPhoto, type PhotoSource } from '@/api/staff-requests'
import { Button } from '@/ui/button'

export interface PickedPhoto {
  /** Local preview (blob URL or temp path). */
  preview: string
  /** The uploaded photo's id once the server has it. */
  id: string | null
  /** Why it did not upload (the server's words); null while uploading or once uploaded. */
  failed: string | null
  /** Upload progress 0–100 while uploading. */
  progress?: number
  /** Refused for what the file is (too large, not a photo): only removing it helps. */
  refused?: boolean
}

const IS_H5 = process.env.TARO_ENV === 'h5'

/**
 * Photos for a proxy entry or a resolution: chosen, shrunk and uploaded at once (so filing is quick),
 * shown as thumbnails with their progress that can be removed. A photo that failed on the way can be
 * sent again; one the server refused says why and offers 删除. `onChange` receives every photo; only
 * uploaded ones have an id.
 */
export function PhotoPicker({
  photos,
  onChange,
  testId,
}: {
  photos: PickedPhoto[]
  onChange: (update: (photos: PickedPhoto[]) => PickedPhoto[]) => void
  testId: string
}) {
  const room = PHOTOS_MAX - photos.length
  // What each tile was made from, by preview, for 重试.
  const sources = useRef(new Map<string, PhotoSource>())

  const change = (preview: string, update: Partial<PickedPhoto>) =>
    onChange((list) => list.map((p) => (p.preview === preview ? { ...p, ...update } : p)))

  function send(source: PhotoSource, preview: string): void {
    uploadPhoto(source, (progress) => change(preview, { progress: Math.min(99, progress) })).then(
      (uploaded) => {
        sources.current.delete(preview)
        change(preview, { id: uploaded.id, progress: 100 })
      },
      (error: unknown) => {
        const failure = toApiError(error)
        const refused = isRefusedPhoto(failure)
        if (refused) sources.current.delete(preview)
        change(preview, { failed: failure.message || '上传失败', refused })
      },
    )
  }

  function upload(picked: { source: PhotoSource; preview: string }[]): void {
    const chosen = picked.slice(0, room)
    onChange((list) => [...list, ...chosen.map(({ preview }) => ({ preview, id: null, failed: null, progress: 0 }))])
    for (const { source, preview } of chosen) {
      sources.current.set(preview, source)
      send(source, preview)
    }
  }

  function retry(preview: string): void {
    const source = sources.current.get(preview)
    if (!source) return
    change(preview, { failed: null, refused: false, progress: 0 })
    send(source, preview)
  }

  function remove(preview: string): void {
    sources.current.delete(preview)
    onChange((list) => list.filter((x) => x.preview !== preview))
  }

  async function chooseInWeChat(): Promise<void> {
    // WeChat asks for the privacy agreement before the camera or album; the staff frame shows the sheet.
    if (!(await ensurePrivacyAuthorized())) return
    try {
      const res = await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['camera', 'album'] })
      upload(res.tempFiles.map((f) => ({ source: { kind: 'path', path: f.path, size: f.size }, preview: f.path })))
    } catch {
      // Cancelled: nothing chosen.
    }
  }

  const refused = photos.filter((p) => p.refused)
  const failed = photos.filter((p) => p.failed && !p.refused)
  return (
    <View>
      <View className='st-photos' data-testid={testId}>
        {photos.map((p) => (
          <View
            key={p.preview}
            className='st-photo'
            data-testid={`${testId}-item`}
            data-uploaded={p.id ? 'true' : 'false'}
            data-status={p.id ? 'done' : p.refused ? 'refused' : p.failed ? 'failed' : 'uploading'}
          >
            {p.refused ? null : (
              // After a failed attempt the whole picture takes the tap for 重试, not just the strip.
              <Image
                className='st-photo__img'
                src={p.preview}
                mode='aspectFill'
                onClick={p.failed && !p.id ? () => retry(p.preview) : undefined}
              />
            )}
            {p.id ? null : p.refused ? (
              <Text className='st-photo__status'>传不上去</Text>
            ) : p.failed ? (
              <View className='st-photo__status' role='button' onClick={() => retry(p.preview)} data-testid={`${testId}-retry`}>
                点此重试
              </View>
            ) : (
              <Text className='st-photo__status'>{p.progress ? `上传 ${p.progress}%` : '准备中…'}</Text>
            )}
            <Button
              size='small'
              className='st-photo__remove'
              aria-label='删除这张照片'
              onClick={() => remove(p.preview)}
            >
              ×
            </Button>
          </View>
        ))}
        {room > 0 ? (
          IS_H5 ? (
            <label className='st-photo__add'>
              <input
                className='st-file-input'
                type='file'
                accept={PHOTO_CONTENT_TYPES.join(',')}
                multiple
                data-testid={`${testId}-input`}
                onChange={(event) => {
                  const input = event.currentTarget
                  const files = Array.from(input.files ?? [])
                  input.value = ''
                  upload(
                    files.map((file) => ({
                      source: { kind: 'file', file, name: file.name },
                      preview: URL.createObjectURL(file),
                    })),
                  )
                }}
              />
              <Text>＋</Text>
              <Text>{`添加照片`}</Text>
            </label>
          ) : (
            <View className='st-photo__add' role='button' onClick={() => void chooseInWeChat()}>
              <Text>＋</Text>
              <Text>添加照片</Text>
            </View>
          )
        ) : null}
      </View>
      {refused.map((p) => (
        <View key={p.preview} data-testid={`${testId}-refused`}>
          <Text className='st-field-error'>{p.failed}</Text>
          <Button size='small' type='danger' fill='outline' onClick={() => remove(p.preview)} data-testid={`${testId}-delete`}>
            删除
          </Button>
        </View>
      ))}
      {failed.length > 0 ? (
        <Text className='st-field-error'>{`${failed[0].failed ?? ''}（点照片上的「点此重试」，或删除它）`}</Text>
      ) : refused.length === 0 ? (
        <Text className='st-hint'>{`最多 ${PHOTOS_MAX} 张，手机照片会自动压缩后上传`}</Text>
      ) : null}
    </View>
  )
}

/** Photos that came with the request, loaded with the staff member's token; tap to enlarge. */
export function PhotoStrip({ photos, testId }: { photos: readonly PhotoRef[]; testId: string }) {
  const [shown, setShown] = useState<Record<string, string>>({})
  useEffect(() => {
    let current = true
    for (const photo of photos) {
      photoForDisplay(photo.url).then(
        (src) => {
          if (current) setShown((s) => ({ ...s, [photo.id]: src }))
        },
        () => {
          // Left as a grey tile: the rest of the request is still worth reading.
        },
      )
    }
    return () => {
      current = false
    }
  }, [photos])
  if (photos.length === 0) return null
  const urls = photos.map((p) => shown[p.id]).filter((u): u is string => Boolean(u))
  return (
    <View className='st-photos' data-testid={testId}>
      {photos.map((p) => (
        <View
          key={p.id}
          className='st-photo'
          onClick={() => {
            const current = shown[p.id]
            if (current) void Taro.previewImage({ current, urls })
          }}
        >
          {shown[p.id] ? <Image className='st-photo__img' src={shown[p.id]} mode='aspectFill' /> : null}
        </View>
      ))}
    </View>
  )
}
