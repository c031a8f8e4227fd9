import { Cell, CellGroup } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { ROLE_LABELS, ticketPhotoPath, type TicketEventView } from '@mq/shared'
import { friendlyTime } from './due'
import { TicketPhotos } from './ticket-photos'
import { VoiceClip, voiceOf } from './voice-clip'

/** The thread's entries of a timeline (type `message`), oldest first as a conversation reads. */
export function threadOf(timeline: readonly TicketEventView[]): TicketEventView[] {
  return timeline.filter((e) => e.type === 'message')
}

function photoIds(event: TicketEventView): string[] {
  const ids = event.data.photoIds
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []
}

/** Who wrote it, as the reporter reads it: 我 for their own words, staff by role and name. */
function author(event: TicketEventView): string {
  if (event.actor.kind !== 'staff') return '我'
  return [event.actor.role ? ROLE_LABELS[event.actor.role] : '工作人员', event.actor.name].filter(Boolean).join(' ')
}

const KIND_WORDS: Record<string, string> = { answer: '回复', addition: '补充说明', staff: '留言' }

/**
 * The conversation between the reporter and the handlers as kit cells, newest last: who and when, the
 * words, the voice note and the photos. A handler's 请居民补充 question stays on the timeline and above the answer box.
 */
export function Thread({ ticketId, events, now }: { ticketId: string; events: readonly TicketEventView[]; now: number }) {
  return (
    <View className='mq-thread' data-testid='thread'>
      <CellGroup divider>
        {events.map((event) => {
          const text = typeof event.data.text === 'string' ? event.data.text : ''
          const ids = photoIds(event)
          const voice = voiceOf(event.data)
          const kind = typeof event.data.kind === 'string' ? (KIND_WORDS[event.data.kind] ?? '留言') : '留言'
          const mine = event.actor.kind !== 'staff'
          return (
            <Cell
              key={event.id}
              className={`mq-thread__item${mine ? ' mq-thread__item--mine' : ''}`}
              title={
                <Text className='mq-thread__who' data-testid='thread-item' data-mine={mine ? 'true' : 'false'}>
                  {`${author(event)} · ${kind}`}
                </Text>
              }
              description={
                <>
                  <Text className='mq-timeline__meta'>{friendlyTime(event.at, now)}</Text>
                  {text ? <Text className='mq-thread__text'>{text}</Text> : null}
                  {voice ? <VoiceClip audience='resident' ticketId={ticketId} voice={voice} testId='thread-voice' /> : null}
                  {ids.length > 0 ? (
                    <TicketPhotos
                      refs={ids.map((id) => ({ id, url: ticketPhotoPath(ticketId, id) }))}
                      testId='thread-photos'
                    />
                  ) : null}
                </>
              }
            />
          )
        })}
      </CellGroup>
    </View>
  )
}
