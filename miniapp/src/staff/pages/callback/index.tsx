import { useCallback, useEffect, useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
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
import { toApiError, type ApiError } from '@/api/client'
import { getRequest, recordCallbackRating } from '@/api/staff-requests'
import { localDateTime } from '@mq/shared'
import { availableButtons } from '../../actions'
import { ErrorNote, StaffFrame, goBack } from '../../components/staff-frame'
import './index.scss'

const STAR_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意']

function CallbackForm({ me, id }: { me: StaffMe; id: string }) {
  const [ticket, setTicket] = useState<TicketView | null>(null)
  const [stars, setStars] = useState(0)
  const [tags, setTags] = useState<RatingTag[]>([])
  const [comment, setComment] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<TicketView | null>(null)

  const load = useCallback(async () => {
    try {
      setTicket(await getRequest(id))
      setError(null)
    } catch (err) {
      setError(toApiError(err))
    }
  }, [id])

  useEffect(() => {
    void load()
  }, [load])

  async function submit(): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      setSaved(await recordCallbackRating(id, { stars, tags, comment: comment.trim() || undefined }))
    } catch (err) {
      setError(toApiError(err))
    } finally {
      setBusy(false)
    }
  }

  if (!ticket) {
    return error ? <ErrorNote message={error.message} requestId={error.requestId} onRetry={() => void load()} /> : <Text className='st-empty'>正在加载…</Text>
  }

  if (saved) {
    const reopened = saved.state !== 'closed'
    return (
      <View className='st-card' data-testid='callback-saved'>
        <Text className='st-h1'>{reopened ? '已记录，诉求重新交办' : '已记录，诉求销号'}</Text>
        <Text className='st-text'>
          {reopened
            ? `居民评价 ${saved.rating?.stars ?? stars} 星（不满意）：诉求已退回处理人重新办理，并告知上级。`
            : `居民评价 ${saved.rating?.stars ?? stars} 星，诉求已销号。感谢回访。`}
        </Text>
        <Button className='st-btn st-btn--primary' onClick={goBack} data-testid='callback-back'>
          返回诉求
        </Button>
      </View>
    )
  }

  // The table says whether a rating is possible now; the server whether this caller records it.
  const mayRate = availableButtons(ticket, me).some((b) => b.command === 'rate')
  return (
    <View data-testid='callback'>
      <View className='st-card'>
        <Text className='st-h2'>{`${categoryOf(ticket.category).label} · ${ticket.buildingName} ${ticket.unitName}`}</Text>
        <Text className='st-muted'>{`${ticket.number} · 反映人 ${ticket.reporter?.name ?? ''}`}</Text>
        {ticket.resolution ? (
          <>
            <Text className='st-label callback__label'>办结说明（请读给居民听）</Text>
            <Text className='st-text'>{ticket.resolution.note}</Text>
            <Text className='st-muted'>{`办结于 ${localDateTime(ticket.resolution.resolvedAt)}`}</Text>
          </>
        ) : null}
        {ticket.reporter?.phone && !ticket.reporter.masked ? (
          <Button
            className='st-btn'
            onClick={() => void Taro.makePhoneCall({ phoneNumber: ticket.reporter!.phone! })}
            data-testid='callback-call'
          >
            {`拨打 ${ticket.reporter.phone}`}
          </Button>
        ) : null}
      </View>

      {!mayRate ? (
        <View className='st-card' data-testid='callback-unavailable'>
          <Text className='st-text'>
            {ticket.rating
              ? `已记录评价：${ticket.rating.stars} 星。`
              : '这条诉求现在不能回访评价：只有办结后、由代录的工作人员记录。'}
          </Text>
        </View>
      ) : (
        <View className='st-card'>
          <Text className='st-h2'>居民的评价</Text>
          <View className='callback__stars' role='radiogroup' data-testid='callback-stars'>
            {[1, 2, 3, 4, 5].map((n) => (
              <Button
                key={n}
                className={`callback__star${n <= stars ? ' callback__star--on' : ''}`}
                aria-checked={n === stars}
                aria-label={`${n} 星`}
                onClick={() => setStars(n)}
                data-testid={`callback-star-${n}`}
              >
                ★
              </Button>
            ))}
          </View>
          <Text className={`callback__word${stars > 0 && stars <= REOPEN_MAX_STARS ? ' callback__word--bad' : ''}`}>
            {stars > 0 ? `${stars} 星 · ${STAR_WORDS[stars]}` : '请选择 1–5 星'}
          </Text>
          {stars > 0 && stars <= REOPEN_MAX_STARS ? (
            <Text className='st-hint'>1–2 星会把诉求退回处理人重新办理，并告知上级。</Text>
          ) : null}
          <View className='st-field'>
            <Text className='st-label'>
              标签<Text className='st-label__opt'>选填，可多选</Text>
            </Text>
            <View className='st-chips'>
              {RATING_TAGS.map((tag) => (
                <Button
                  key={tag}
                  className={`st-chip${tags.includes(tag) ? ' st-chip--on' : ''}`}
                  aria-pressed={tags.includes(tag)}
                  onClick={() => setTags((t) => (t.includes(tag) ? t.filter((x) => x !== tag) : [...t, tag]))}
                >
                  {tag}
                </Button>
              ))}
            </View>
          </View>
          <View className='st-field'>
            <Text className='st-label'>
              居民原话<Text className='st-label__opt'>选填</Text>
            </Text>
            <Textarea
              className='st-textarea'
              value={comment}
              maxlength={RATING_COMMENT_MAX}
              placeholder='记下居民在电话里说的话'
              onInput={(e) => setComment(e.detail.value)}
              data-testid='callback-comment'
            />
          </View>
          {error ? <ErrorNote message={error.message} requestId={error.requestId} /> : null}
          <Button
            className='st-btn st-btn--primary'
            disabled={busy || stars === 0 || undefined}
            onClick={() => void submit()}
            data-testid='callback-submit'
          >
            {busy ? '正在保存…' : '保存回访结果'}
          </Button>
        </View>
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
