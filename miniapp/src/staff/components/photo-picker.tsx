import { useEffect, useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PHOTOS_MAX, PHOTO_CONTENT_TYPES, type PhotoRef } from '@mq/shared'
import { toApiError } from '@/api/client'
import { ensurePrivacyAuthorized } from '@/components/privacy'
import { photoForDisplay, uploadPhoto, type PhotoSource } from '@/api/staff-requests'
import { Button } from '@/ui/button'

export interface PickedPhoto {
  /** Local preview (blob URL or temp path). */
  preview: string
  /** The uploaded photo's id once the server has it. */
  id: string | null
  failed: string | null
}

const IS_H5 = process.env.TARO_ENV === 'h5'

/**
 * Photos for a proxy entry or a resolution: chosen, uploaded at once (so filing is quick), shown as
 * thumbnails that can be removed. `onChange` receives every photo; only uploaded ones have an id.
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

  function upload(sources: { source: PhotoSource; preview: string }[]): void {
    const chosen = sources.slice(0, room)
    onChange((list) => [...list, ...chosen.map(({ preview }) => ({ preview, id: null, failed: null }))])
    for (const { source, preview } of chosen) {
      uploadPhoto(source).then(
        (uploaded) => onChange((list) => list.map((p) => (p.preview === preview ? { ...p, id: uploaded.id } : p))),
        (error: unknown) =>
          onChange((list) =>
            list.map((p) => (p.preview === preview ? { ...p, failed: toApiError(error).message || '上传失败' } : p)),
          ),
      )
    }
  }

  async function chooseInWeChat(): Promise<void> {
    // WeChat asks for the privacy agreement before the camera or album; the staff frame shows the sheet.
    if (!(await ensurePrivacyAuthorized())) return
    try {
      const res = await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['camera', 'album'] })
      upload(res.tempFilePaths.map((path) => ({ source: { kind: 'path', path }, preview: path })))
    } catch {
      // Cancelled: nothing chosen.
    }
  }

  return (
    <View>
      <View className='st-photos' data-testid={testId}>
        {photos.map((p) => (
          <View key={p.preview} className='st-photo' data-testid={`${testId}-item`} data-uploaded={p.id ? 'true' : 'false'}>
            <Image className='st-photo__img' src={p.preview} mode='aspectFill' />
            {p.id || p.failed ? null : <Text className='st-photo__status'>上传中…</Text>}
            <Button
              size='small'
              className='st-photo__remove'
              aria-label='删除这张照片'
              onClick={() => onChange((list) => list.filter((x) => x.preview !== p.preview))}
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
      {photos.some((p) => p.failed) ? (
        <Text className='st-field-error'>{photos.find((p) => p.failed)?.failed ?? ''}（请删除后重新添加）</Text>
      ) : (
        <Text className='st-hint'>{`最多 ${PHOTOS_MAX} 张，每张不超过 5 MB`}</Text>
      )}
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
