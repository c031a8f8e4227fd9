import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { RecurringCompounds } from '@mq/shared'
import { Button } from '@/ui/button'
import { Card, Choices } from '@/ui/parts'
import './picker.scss'

type Compound = RecurringCompounds['compounds'][number]

/** Compounds grouped by their community, in the order given (community, then name). */
function byCommunity(compounds: readonly Compound[]): [string, Compound[]][] {
  const groups = new Map<string, Compound[]>()
  for (const c of compounds) groups.set(c.communityName, [...(groups.get(c.communityName) ?? []), c])
  return [...groups.entries()]
}

/**
 * Which compound's 重点问题 to look at, for supervisors over several compounds: the compounds under their
 * places by community. Once one is chosen it folds to one line with 换一个小区, so the problems come first.
 */
export function CompoundPicker({
  compounds,
  value,
  onPick,
}: {
  compounds: readonly Compound[]
  value: string | null
  onPick: (id: string) => void
}) {
  const [open, setOpen] = useState(false)
  const chosen = compounds.find((c) => c.id === value)
  if (chosen && !open) {
    return (
      <Card testId='recurring-picker' data-open='false'>
        <View className='st-row'>
          <Text className='st-text' data-testid='recurring-picked'>{`${chosen.communityName} · ${chosen.name}`}</Text>
        </View>
        <Button block onClick={() => setOpen(true)} data-testid='recurring-change'>
          换一个小区
        </Button>
      </Card>
    )
  }
  const groups = byCommunity(compounds)
  return (
    <Card title='选择小区' testId='recurring-picker' data-open='true'>
      <Text className='st-hint'>重点问题按小区研判。下面是您督办范围内的小区。</Text>
      {groups.map(([community, items]) => (
        <View key={community} className='rc-picker__group' data-testid='recurring-picker-group'>
          {groups.length > 1 ? <Text className='rc-picker__community'>{community}</Text> : null}
          <Choices
            grid
            value={value}
            onPick={(id) => {
              setOpen(false)
              onPick(id)
            }}
            choices={items.map((c) => ({ value: c.id, label: c.name, testId: 'recurring-compound-choice' }))}
          />
        </View>
      ))}
    </Card>
  )
}
