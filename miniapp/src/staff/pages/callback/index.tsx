import { useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  RATING_COMMENT_MAX,
  RATING_TAGS,
  REOPEN_MAX_STARS,
  categoryOf,
  type RatingTag,
  type TicketView,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { getRequest, recordCallbackRating } from '@/api/staff-requests'
import { localDateTime } from '@mq/shared'
import { availableButtons } from '../../actions'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { ErrorNote, Field } from '../../components/parts'
import { StaffFrame, goBack } from '../../components/staff-frame'
import './index.scss'

const STAR_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意']

function CallbackForm({ me, id }: { me: StaffMe; id: string }) {
  const request = useResource(`request:${id}`, () => getRequest(id), { refreshOnShow: false })
  return <Loaded resource={request}>{(ticket) => <CallbackScreen me={me} ticket={ticket} />}</Loaded>
}

function CallbackScreen({ me, ticket }: { me: StaffMe; ticket: TicketView }) {
  const id = ticket.id
  const [stars, setStars] = useState(0)
  const [tags, setTags] = useState<RatingTag[]>([])
  const [comment, setComment] = useState('')
  const [saved, setSaved] = useState<TicketView | null>(null)
  const saving = useMutation(async () => {
    setSaved(await recordCallbackRating(id, { stars, tags, comment: comment.trim() || undefined }))
  })
  const { busy, error } = saving

  if (saved) {
    const reopened = saved.state !== 'closed'
    return (
      <Card testId='callback-saved'>
        <Text className='st-h1'>{reopened ? '已记录，诉求重新交办' : '已记录，诉求销号'}</Text>
        <Text className='st-text'>
          {reopened
            ? `居民评价 ${saved.rating?.stars ?? stars} 星（不满意）：诉求已退回处理人重新办理，并告知上级。`
            : `居民评价 ${saved.rating?.stars ?? stars} 星，诉求已销号。感谢回访。`}
        </Text>
        <View className='st-stack'>
          <Button type='primary' fill='solid' block onClick={goBack} data-testid='callback-back'>
            返回诉求
          </Button>
        </View>
      </Card>
    )
  }

  // The table says whether a rating is possible now; the server whether this caller records it.
  const mayRate = availableButtons(ticket, me).some((b) => b.command === 'rate')
  return (
    <View data-testid='callback'>
      <Card title={`${categoryOf(ticket.category).label} · ${ticket.buildingName} ${ticket.unitName}`}>
        <Text className='st-muted'>{`${ticket.number} · 反映人 ${ticket.reporter?.name ?? ''}`}</Text>
        {ticket.resolution ? (
          <>
            <Text className='st-label callback__label'>办结说明（请读给居民听）</Text>
            <Text className='st-text'>{ticket.resolution.note}</Text>
            <Text className='st-muted'>{`办结于 ${localDateTime(ticket.resolution.resolvedAt)}`}</Text>
          </>
        ) : null}
        {ticket.reporter?.phone && !ticket.reporter.masked ? (
          <View className='st-stack'>
            <Button block onClick={() => void Taro.makePhoneCall({ phoneNumber: ticket.reporter!.phone! })} data-testid='callback-call'>
              {`拨打 ${ticket.reporter.phone}`}
            </Button>
          </View>
        ) : null}
      </Card>

      {!mayRate ? (
        <Card testId='callback-unavailable'>
          <Text className='st-text'>
            {ticket.rating
              ? `已记录评价：${ticket.rating.stars} 星。`
              : '这条诉求现在不能回访评价：只有办结后、由代录的工作人员记录。'}
          </Text>
        </Card>
      ) : (
        <Card title='居民的评价'>
          {/* A full-size button per star (the kit's Rate stars are too small to tap): those up to the choice filled. */}
          <View className='callback__stars' role='radiogroup' data-testid='callback-stars'>
            {[1, 2, 3, 4, 5].map((n) => (
              <Button
                key={n}
                type={n <= stars ? 'primary' : 'default'}
                fill={n === stars ? 'solid' : 'outline'}
                aria-checked={n === stars}
                aria-label={`${n} 星`}
                onClick={() => setStars(n)}
                data-testid={`callback-star-${n}`}
              >
                {`${n}星`}
              </Button>
            ))}
          </View>
          <Text className={`callback__word${stars > 0 && stars <= REOPEN_MAX_STARS ? ' callback__word--bad' : ''}`}>
            {stars > 0 ? `${stars} 星 · ${STAR_WORDS[stars]}` : '请选择 1–5 星'}
          </Text>
          {stars > 0 && stars <= REOPEN_MAX_STARS ? (
            <Text className='st-hint'>1–2 星会把诉求退回处理人重新办理，并告知上级。</Text>
          ) : null}
          <Field label='标签' optional='选填，可多选'>
            <Choices
              choices={RATING_TAGS.map((tag) => ({ value: tag, label: tag }))}
              value={tags}
              multiple
              onPick={(tag) => setTags((t) => (t.includes(tag) ? t.filter((x) => x !== tag) : [...t, tag]))}
            />
          </Field>
          <Field label='居民原话' optional>
            <TextArea
              value={comment}
              maxLength={RATING_COMMENT_MAX}
              placeholder='记下居民在电话里说的话'
              onChange={setComment}
              data-testid='callback-comment'
            />
          </Field>
          {error ? <ErrorNote message={error.message} requestId={error.requestId} /> : null}
          <View className='st-stack'>
            <Button
              type='primary'
              fill='solid'
              size='large'
              block
              disabled={busy || stars === 0}
              onClick={() => void saving.run()}
              data-testid='callback-submit'
            >
              {busy ? '正在保存…' : '保存回访结果'}
            </Button>
          </View>
        </Card>
      )}
    </View>
  )
}

/** 回访: the staff member who filed a proxy entry phones the resident and records their rating. */
export function StaffCallbackPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  return (
    <StaffFrame title='电话回访' testId='staff-callback'>
      {(me) => (id ? <CallbackForm me={me} id={id} /> : <ErrorNote message='缺少诉求编号。' />)}
    </StaffFrame>
  )
}

export default StaffCallbackPage
