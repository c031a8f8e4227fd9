import { useEffect, useState } from 'react'
import { Text } from '@tarojs/components'
import type { PlaceView } from '@mq/shared'
import { useResource, type Resource } from '@/data/resource'
import { Card, Choices, Notice } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { listPlaces } from '../api'
import { Label } from './ui'

export interface CompoundPlaces {
  /** Every place in the admin's scope (buildings and units too, for pickers below a compound). */
  places: Resource<PlaceView[]>
  compounds: PlaceView[]
  compoundId: string | null
  setCompoundId: (id: string) => void
}

const activeCompounds = (list: readonly PlaceView[]) => list.filter((p) => p.kind === 'compound' && !p.retired)

/**
 * The admin's places and the compound chosen among them (the page's `compoundId` parameter, else the
 * first one), for the pages that configure one compound at a time.
 */
export function useCompounds(initial: string | null): CompoundPlaces {
  const places = useResource('admin-places', listPlaces)
  const [chosen, setCompoundId] = useState<string | null>(initial)
  const compounds = activeCompounds(places.data ?? [])
  // A chosen compound that is not (or no longer) in scope falls back to the first.
  const compoundId = chosen && compounds.some((c) => c.id === chosen) ? chosen : (compounds[0]?.id ?? null)
  useEffect(() => {
    if (compoundId !== chosen && places.data) setCompoundId(compoundId)
  }, [compoundId, chosen, places.data])
  return { places, compounds, compoundId, setCompoundId }
}

/** The admin's compounds to choose from; a single compound is shown as a plain line. */
export function CompoundPicker({ state }: { state: CompoundPlaces }) {
  const { places, compoundId, setCompoundId } = state
  return (
    <Loaded
      resource={places}
      rows={1}
      isEmpty={(list) => activeCompounds(list).length === 0}
      empty={<Notice tone='warn'>您的管辖范围内还没有小区，请先在「地点与二维码」中建立。</Notice>}
    >
      {(list) => {
        const compounds = activeCompounds(list)
        return (
          <Card testId='compound-picker'>
            <Label>小区</Label>
            {compounds.length === 1 ? (
              <Text className='mq-text'>{compounds[0].name}</Text>
            ) : (
              <Choices
                small
                choices={compounds.map((c) => ({ value: c.id, label: c.name, testId: 'compound-chip' }))}
                value={compoundId}
                onPick={setCompoundId}
              />
            )}
          </Card>
        )
      }}
    </Loaded>
  )
}
