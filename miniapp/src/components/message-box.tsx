import { useRef, useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { MESSAGE_PHOTOS_MAX, MESSAGE_TEXT_MAX, type TicketView } from '@mq/shared'
import { sendMessage, uploadPhoto, type PhotoSource } from '@/api/requests'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { CharCount } from './char-count'
import { ensurePrivacyAuthorized } from './privacy'
import { VoiceRecorder, voiceUploading, type VoiceDraft } from './voice-recorder'

const IS_H5 = process.env.TARO_ENV === 'h5'

interface BoxPhoto {
  localId: string
  preview: string
  status: 'uploading' | 'done' | 'failed'
  progress: number
  id: string | null
  error: string | null
}

let counter = 0
const localId = () => `m${Date.now().toString(36)}${(counter++).toString(36)}`

/**
 * The reporter writes to the handlers: the answer to their question while 等您补充 (`answering`: the
 * request resumes at once) or 补充说明 on any open request. Words, photos (uploaded as they are added,
 * shrunk by the upload), a voice note (按住说话, uploaded once recorded), or any of them together; sent
 * through the data layer.
 */
export function MessageBox({
  ticketId,
  answering,
  onSent,
}: {
  ticketId: string
  answering: boolean
  onSent: (view: TicketView) => void
}) {
  const [text, setText] = useState('')
  const [photos, setPhotos] = useState<BoxPhoto[]>([])
  const [voice, setVoice] = useState<VoiceDraft | null>(null)
  const [missing, setMissing] = useState(false)
  const previews = useRef(new Set<string>())
  const send = useMutation(sendMessage)
  const length = text.trim().length
  const tooLong = length > MESSAGE_TEXT_MAX
  const uploading = photos.some((p) => p.status === 'uploading') || voiceUploading(voice)
  const testId = answering ? 'answer' : 'addition'

  const update = (id: string, change: Partial<BoxPhoto>) =>
    setPhotos((all) => all.map((p) => (p.localId === id ? { ...p, ...change } : p)))

  const add = (picked: { source: PhotoSource; preview: string }[]) => {
    const room = MESSAGE_PHOTOS_MAX - photos.length
    const added = picked.slice(0, room).map(({ source, preview }) => {
      previews.current.add(preview)
      const photo: BoxPhoto = { localId: localId(), preview, status: 'uploading', progress: 0, id: null, error: null }
      uploadPhoto(source, (progress) => update(photo.localId, { progress: Math.min(99, progress) })).then(
        (uploaded) => update(photo.localId, { status: 'done', progress: 100, id: uploaded.id }),
        (failure: Error) => update(photo.localId, { status: 'failed', error: failure.message || '上传失败' }),
      )
      return photo
    })
    setPhotos((all) => [...all, ...added])
    setMissing(false)
  }

  const remove = (id: string) => {
    const preview = photos.find((p) => p.localId === id)?.preview
    if (preview?.startsWith('blob:')) URL.revokeObjectURL(preview)
    setPhotos((all) => all.filter((p) => p.localId !== id))
  }

  const chooseInWechat = async () => {
    if (!(await ensurePrivacyAuthorized())) return
    try {
      const res = await Taro.chooseImage({
        count: MESSAGE_PHOTOS_MAX - photos.length,
        sizeType: ['compressed'],
        sourceType: ['camera', 'album'],
      })
      add(res.tempFiles.map((f) => ({ source: { kind: 'path', path: f.path, size: f.size }, preview: f.path })))
    } catch {
      // Cancelled.
    }
  }

  const submit = async () => {
    const ids = photos.filter((p) => p.status === 'done' && p.id).map((p) => p.id!)
    const voiceNoteId = voice?.id ?? undefined
    if (length === 0 && ids.length === 0 && !voiceNoteId) {
      setMissing(true)
      return
    }
    if (tooLong || uploading) return
    const view = await send.run(ticketId, { text: text.trim(), photoIds: ids, ...(voiceNoteId ? { voiceNoteId } : {}) })
    if (!view) return
    for (const p of photos) if (p.preview.startsWith('blob:')) URL.revokeObjectURL(p.preview)
    setText('')
    setPhotos([])
    setVoice(null)
    onSent(view)
    void Taro.showToast({ title: answering ? '已回复' : '已补充', icon: 'success' })
  }

  return (
    <View className='mq-message-box' data-testid={`${testId}-box`}>
      <TextArea
        className='mq-message-box__text'
        value={text}
        maxLength={-1}
        rows={3}
        placeholder={answering ? '在这里回答工作人员的问题' : '有新情况？写在这里告诉工作人员'}
        onChange={(value) => {
          setText(value)
          setMissing(false)
        }}
        data-testid={`${testId}-text`}
      />
      <CharCount length={length} max={MESSAGE_TEXT_MAX} />
      <View className='mq-photos'>
        {photos.map((p) => (
          <View key={p.localId} className='mq-photo' data-testid={`${testId}-photo`} data-status={p.status}>
            <Image className='mq-photo__img' src={p.preview} mode='aspectFill' />
            {p.status !== 'done' ? (
              <Text className='mq-message-box__photo-state'>
                {p.status === 'uploading' ? `上传中 ${p.progress}%` : (p.error ?? '上传失败')}
              </Text>
            ) : null}
            <Button
              size='small'
              className='mq-message-box__remove'
              onClick={() => remove(p.localId)}
              data-testid={`${testId}-photo-remove`}
            >
              删除
            </Button>
          </View>
        ))}
        {photos.length < MESSAGE_PHOTOS_MAX ? (
          IS_H5 ? (
            <label className='mq-photo mq-message-box__add' data-testid={`${testId}-add-photo`}>
              <input
                className='mq-message-box__input'
                type='file'
                accept='image/jpeg,image/png,image/webp'
                multiple
                data-testid={`${testId}-photo-input`}
                onChange={(event) => {
                  const input = event.currentTarget
                  const files = Array.from(input.files ?? [])
                  input.value = ''
                  add(files.map((file) => ({ source: { kind: 'file', file }, preview: URL.createObjectURL(file) })))
                }}
              />
              <Text>＋ 照片</Text>
            </label>
          ) : (
            <View
              className='mq-photo mq-message-box__add'
              onClick={() => void chooseInWechat()}
              data-testid={`${testId}-add-photo`}
            >
              <Text>＋ 照片</Text>
            </View>
          )
        ) : null}
      </View>
      <VoiceRecorder
        audience='resident'
        value={voice}
        onChange={(update) => {
          setVoice(update)
          setMissing(false)
        }}
        testId={`${testId}-voice`}
      />
      {missing ? (
        <Text className='mq-field-error' data-testid={`${testId}-missing`}>
          请写几句话，或者附上照片、说段语音
        </Text>
      ) : null}
      {send.error ? (
        <Text className='mq-field-error' data-testid={`${testId}-error`}>
          {send.error.message || '没有发送成功，请再试一次'}
        </Text>
      ) : null}
      <Button
        type='primary'
        size='large'
        block
        className='mq-action'
        loading={send.busy}
        disabled={uploading || tooLong}
        onClick={() => void submit()}
        data-testid={`${testId}-send`}
      >
        {uploading ? (voiceUploading(voice) ? '语音上传中…' : '照片上传中…') : answering ? '回复并继续办理' : '发送补充说明'}
      </Button>
    </View>
  )
}
