import { useState } from 'react'
import { Rate, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { RATING_COMMENT_MAX, RATING_TAGS, REOPEN_MAX_STARS, type RateTicketInput, type RatingTag } from '@mq/shared'
import { Button } from '@/ui/button'
import { CharCount } from './char-count'

const STAR_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意'] as const

/** 评价 after 办结: 1–5 stars (large), optional tags and a comment. 1–2 stars sends it back to the handler. */
export function RatingForm({
  busy,
  error,
  onSubmit,
}: {
  busy?: boolean
  error?: string | null
  onSubmit: (input: RateTicketInput) => void
}) {
  const [stars, setStars] = useState(0)
  const [tags, setTags] = useState<RatingTag[]>([])
  const [comment, setComment] = useState('')
  const [missing, setMissing] = useState(false)
  const length = comment.trim().length
  const tooLong = length > RATING_COMMENT_MAX

  const toggle = (tag: RatingTag) => setTags((now) => (now.includes(tag) ? now.filter((t) => t !== tag) : [...now, tag]))
  const submit = () => {
    if (stars < 1) {
      setMissing(true)
      return
    }
    if (tooLong || busy) return
    const text = comment.trim()
    onSubmit({ stars, tags, ...(text ? { comment: text } : {}) })
  }

  return (
    <View className='mq-card mq-rating' data-testid='rating-form'>
      <Text className='mq-subtitle'>问题解决了吗？请您评价</Text>
      <View className='mq-rating__stars' data-testid='rating-stars' data-stars={String(stars)} aria-label={`评分：${stars} 星`}>
        <Rate
          value={stars}
          onChange={(n) => {
            setStars(n)
            setMissing(false)
          }}
        />
      </View>
      <Text className='mq-text' data-testid='rating-word'>
        {stars ? `${stars} 星 · ${STAR_WORDS[stars]}` : '点星星打分（5星最满意）'}
      </Text>
      {stars > 0 && stars <= REOPEN_MAX_STARS ? (
        <Text className='mq-muted'>不满意的评价会让负责人重新办理，并报告上级。</Text>
      ) : null}
      {missing ? (
        <Text className='mq-field-error' data-testid='rating-error-stars'>
          请先点星星打分
        </Text>
      ) : null}

      <View className='mq-chips'>
        {RATING_TAGS.map((tag) => {
          const on = tags.includes(tag)
          return (
            <Button
              key={tag}
              type={on ? 'primary' : 'default'}
              shape='round'
              aria-pressed={on}
              onClick={() => toggle(tag)}
              data-testid='rating-tag'
            >
              {tag}
            </Button>
          )
        })}
      </View>

      <TextArea
        className='mq-rating__comment'
        value={comment}
        maxLength={-1}
        rows={3}
        placeholder='还想说点什么？（可不填）'
        onChange={setComment}
        data-testid='rating-comment'
      />
      <CharCount length={length} max={RATING_COMMENT_MAX} />
      {error ? (
        <Text className='mq-field-error' data-testid='rating-error'>
          {error}
        </Text>
      ) : null}
      <Button type='primary' size='large' block className='mq-action' loading={busy} onClick={submit} data-testid='rating-submit'>
        {busy ? '正在提交…' : '提交评价'}
      </Button>
    </View>
  )
}
