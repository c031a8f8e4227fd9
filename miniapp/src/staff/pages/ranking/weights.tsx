import { useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { COMPOSITE_KEYS, METRIC_LABELS, type RankingWeightsInput } from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { setRankingWeights } from '@/api/metrics'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card } from '@/ui/parts'
import { ErrorNote, Field } from '../../components/parts'

type Draft = Record<keyof RankingWeightsInput, string>

/** A whole number as typed, or NaN. */
const asNumber = (text: string): number => (/^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN)

/**
 * A district supervisor sets the composite's weights for the district: three whole percentages that sum
 * to 100. A field that is not a whole number 0–100 is refused here; the sum is shown as typed and checked by
 * the server, whose refusal is shown as it words it.
 */
export function WeightsForm({
  districtId,
  weights,
  onSaved,
}: {
  districtId: string
  weights: RankingWeightsInput
  onSaved: () => void
}) {
  const [draft, setDraft] = useState<Draft>(() => ({
    response: String(weights.response),
    resolution: String(weights.resolution),
    satisfaction: String(weights.satisfaction),
  }))
  const [saved, setSaved] = useState(false)
  const [typo, setTypo] = useState<string | null>(null)
  const save = useMutation(() =>
    setRankingWeights(districtId, {
      response: asNumber(draft.response),
      resolution: asNumber(draft.resolution),
      satisfaction: asNumber(draft.satisfaction),
    }),
  )
  const sum = COMPOSITE_KEYS.reduce((total, k) => total + (asNumber(draft[k]) || 0), 0)
  return (
    <Card title='综合得分权重（本区）' testId='ranking-weights-form'>
      <Text className='st-hint'>三项权重为整数百分比，合计须为 100。保存后本区各级的综合得分按新权重计算。</Text>
      {COMPOSITE_KEYS.map((key) => (
        <Field key={key} label={`${METRIC_LABELS[key]}（%）`}>
          <View data-testid={`ranking-weight-${key}`}>
            <Input
              type='digit'
              value={draft[key]}
              maxLength={3}
              onChange={(value: string) => {
                setSaved(false)
                setTypo(null)
                save.reset()
                setDraft({ ...draft, [key]: value })
              }}
            />
          </View>
        </Field>
      ))}
      <Text className={sum === 100 ? 'st-hint' : 'st-field-error'} data-testid='ranking-weights-sum'>{`合计 ${sum}%`}</Text>
      {typo ? (
        <Text className='st-field-error' data-testid='ranking-weights-typo'>
          {typo}
        </Text>
      ) : null}
      {save.error ? <ErrorNote message={fieldMessage(save.error) || '没有保存成功，请再试一次'} requestId={save.error.requestId} /> : null}
      {saved ? (
        <Text className='st-hint' data-testid='ranking-weights-saved'>
          已保存
        </Text>
      ) : null}
      <Button
        block
        type='primary'
        loading={save.busy}
        onClick={() => {
          const bad = COMPOSITE_KEYS.find((k) => Number.isNaN(asNumber(draft[k])) || asNumber(draft[k]) > 100)
          if (bad) {
            setTypo(`${METRIC_LABELS[bad]}请填写 0 到 100 的整数`)
            return
          }
          void save.run().then((done) => {
            if (!done) return
            setSaved(true)
            onSaved()
          })
        }}
        data-testid='ranking-weights-save'
      >
        保存权重
      </Button>
    </Card>
  )
}
