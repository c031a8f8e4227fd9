import { useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import { RATING_COMMENT_MAX, RATING_TAGS, REOPEN_MAX_STARS, type RateTicketInput, type RatingTag } from '@mq/shared'

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
  const tooLong = comment.trim().length > RATING_COMMENT_MAX

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
      <View className='mq-stars' data-testid='rating-stars'>
        {[1, 2, 3, 4, 5].map((n) => (
          <Button
            key={n}
            className={`mq-star${n <= stars ? ' mq-star--on' : ''}`}
            onClick={() => {
              setStars(n)
              setMissing(false)
            }}
            aria-label={`${n}星`}
            aria-pressed={n <= stars}
            data-testid={`rating-star-${n}`}
          >
            {n <= stars ? '★' : '☆'}
          </Button>
        ))}
      </View>
      <Text className='mq-text mq-rating__word' data-testid='rating-word'>
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
        {RATING_TAGS.map((tag) => (
          <Button
            key={tag}
            className={`mq-chip${tags.includes(tag) ? ' mq-chip--on' : ''}`}
            aria-pressed={tags.includes(tag)}
            onClick={() => toggle(tag)}
            data-testid='rating-tag'
          >
            {tag}
          </Button>
        ))}
      </View>

      <Textarea
        className='mq-textarea mq-textarea--short'
        value={comment}
        maxlength={RATING_COMMENT_MAX + 200}
        placeholder='还想说点什么？（可不填）'
        onInput={(e) => setComment(e.detail.value)}
        data-testid='rating-comment'
      />
      <Text className={`mq-counter${tooLong ? ' mq-counter--over' : ''}`}>{`${comment.trim().length}/${RATING_COMMENT_MAX}`}</Text>
      {error ? (
        <Text className='mq-field-error' data-testid='rating-error'>
          {error}
        </Text>
      ) : null}
      <Button
        className='mq-button mq-button--primary'
        disabled={busy || undefined}
        onClick={submit}
        data-testid='rating-submit'
      >
        {busy ? '正在提交…' : '提交评价'}
      </Button>
    </View>
  )
}
