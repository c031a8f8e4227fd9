import { useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { localDateTime, MESSAGE_TEXT_MAX, ticketPhotoPath, type TicketEventView, type TicketView } from '@mq/shared'
import { messageAsReporter, messageReporter } from '@/api/staff-requests'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card } from '@/ui/parts'
import { VoiceClip, voiceOf } from '@/components/voice-clip'
import { VoiceRecorder, voiceUploading, type VoiceDraft } from '@/components/voice-recorder'
import { PhotoPicker, PhotoStrip, type PickedPhoto } from '../../components/photo-picker'
import { ErrorNote } from '../../components/parts'
import { actorOf } from '../../components/timeline'

const KIND_WORDS: Record<string, string> = { answer: '回复补充', addition: '补充说明', staff: '留言' }

function photoIds(event: TicketEventView): string[] {
  const ids = event.data.photoIds
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []
}

/**
 * The conversation with the reporter (for a proxy entry, the staff member who filed it), newest last,
 * and a message to them (words, photos, a voice note) when the caller handles the request. A question that stops the clock is still
 * 请居民补充; an internal note is still 备注.
 */
export function ThreadCard({ ticket, onSent }: { ticket: TicketView; onSent: (view: TicketView) => void }) {
  const [text, setText] = useState('')
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  const [voice, setVoice] = useState<VoiceDraft | null>(null)
  // The filer of a proxy entry who does not handle it writes as the resident's voice (it may resume it).
  const forResident = ticket.viewer.relation === 'proxy_filer'
  const send = useMutation(forResident ? messageAsReporter : messageReporter)
  const thread = ticket.timeline.filter((e) => e.type === 'message')
  const writes = ticket.viewer.commands.includes('message')
  if (thread.length === 0 && !writes) return null
  const length = text.trim().length
  const attached = photos.map((p) => p.id).filter((pid): pid is string => Boolean(pid))
  const uploading = photos.some((p) => !p.id && !p.failed) || voiceUploading(voice)
  const voiceNoteId = voice?.id ?? undefined
  const empty = length === 0 && attached.length === 0 && !voiceNoteId

  const submit = async () => {
    if (empty || uploading || length > MESSAGE_TEXT_MAX) return
    const view = await send.run(ticket.id, text.trim(), attached, voiceNoteId)
    if (!view) return
    setText('')
    setPhotos([])
    setVoice(null)
    onSent(view)
  }

  return (
    <Card title='与居民沟通' testId='request-thread'>
      {thread.length === 0 ? <Text className='st-hint'>还没有留言。</Text> : null}
      {thread.map((event) => {
        const ids = photoIds(event)
        const heard = voiceOf(event.data)
        const kind = typeof event.data.kind === 'string' ? (KIND_WORDS[event.data.kind] ?? '留言') : '留言'
        return (
          <View key={event.id} className='request-thread__item' data-testid='request-thread-item'>
            <Text className='st-hint'>{`${actorOf(event)} · ${kind} · ${localDateTime(event.at)}`}</Text>
            {typeof event.data.text === 'string' && event.data.text ? (
              <Text className='st-text request-thread__text'>{event.data.text}</Text>
            ) : null}
            {heard ? <VoiceClip audience='staff' ticketId={ticket.id} voice={heard} testId='request-thread-voice' /> : null}
            {ids.length > 0 ? (
              <PhotoStrip
                photos={ids.map((id) => ({ id, url: ticketPhotoPath(ticket.id, id) }))}
                testId='request-thread-photos'
              />
            ) : null}
          </View>
        )
      })}
      {writes ? (
        <View className='request-thread__write'>
          <TextArea
            value={text}
            maxLength={-1}
            rows={3}
            placeholder={forResident ? '替居民补充说明或回答问题' : '给居民留言（居民能看到；内部情况请写备注）'}
            onChange={setText}
            data-testid='request-thread-text'
          />
          <Text className='st-counter'>{`${length}/${MESSAGE_TEXT_MAX}`}</Text>
          <PhotoPicker photos={photos} onChange={setPhotos} testId='request-thread-photo-picker' />
          <VoiceRecorder audience='staff' value={voice} onChange={setVoice} testId='request-thread-voice-recorder' />
          {send.error ? <ErrorNote message={send.error.message} requestId={send.error.requestId} /> : null}
          <Button
            type='primary'
            block
            loading={send.busy}
            disabled={empty || uploading || length > MESSAGE_TEXT_MAX}
            onClick={() => void submit()}
            data-testid='request-thread-send'
          >
            {forResident ? '替居民发送' : '发送给居民'}
          </Button>
        </View>
      ) : null}
    </Card>
  )
}
