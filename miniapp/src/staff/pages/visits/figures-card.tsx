import { Text, View } from '@tarojs/components'
import type { VisitFigures } from '@mq/shared'
import { visitFigures } from '@/api/visits'
import { useResource } from '@/data/resource'
import { Card } from '@/ui/parts'
import './figures-card.scss'

/**
 * Beside the metrics: households on the visit register and how many are overdue, per compound under the
 * place (counts only, nobody's data). Nothing when the place has no register or the caller may not see it.
 */
export function VisitFiguresCard({ placeId }: { placeId: string }) {
  const figures = useResource<VisitFigures>(`visit-figures:${placeId}`, () => visitFigures(placeId))
  const rows = figures.data?.compounds.filter((c) => c.households > 0) ?? []
  if (rows.length === 0) return null
  const overdue = rows.reduce((n, c) => n + c.overdue, 0)
  return (
    <Card title={`走访逾期 ${overdue} 户`} testId='metrics-visits'>
      {rows.map((c) => (
        <View key={c.id} className='visits-figures__row' data-testid='metrics-visits-row'>
          <Text className='st-text'>{c.name}</Text>
          <Text className='st-text'>{`${c.households} 户 · 逾期 ${c.overdue} 户`}</Text>
        </View>
      ))}
    </Card>
  )
}
