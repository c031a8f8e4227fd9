import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { PlaceView } from '@mq/shared'
import { toApiError } from '@/api/client'
import { listPlaces } from '../api'

export interface CompoundPlaces {
  /** Every place in the admin's scope (buildings and units too, for pickers below a compound). */
  places: PlaceView[]
  compounds: PlaceView[]
  compoundId: string | null
  setCompoundId: (id: string) => void
  error: string | null
  /** The list has arrived (it may be empty). */
  loaded: boolean
  reload: () => Promise<void>
}

/**
 * The admin's places and the compound chosen among them (the page's `compoundId` parameter, else the
 * first one), for the pages that configure one compound at a time.
 */
export function useCompounds(initial: string | null): CompoundPlaces {
  const [places, setPlaces] = useState<PlaceView[]>([])
  const [compoundId, setCompoundId] = useState<string | null>(initial)
  const [error, setError] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)

  const reload = useCallback(async () => {
    try {
      const list = await listPlaces()
      setPlaces(list)
      const compounds = list.filter((p) => p.kind === 'compound' && !p.retired)
      setCompoundId((current) => (current && compounds.some((c) => c.id === current) ? current : (compounds[0]?.id ?? null)))
      setError(null)
      setLoaded(true)
    } catch (err) {
      setError(toApiError(err).message)
    }
  }, [])

  useEffect(() => {
    void reload()
  }, [reload])

  const compounds = places.filter((p) => p.kind === 'compound' && !p.retired)
  return { places, compounds, compoundId, setCompoundId, error, loaded, reload }
}

/** Chips of the admin's compounds; a single compound is shown as a plain line. */
export function CompoundPicker({ state }: { state: CompoundPlaces }) {
  const { compounds, compoundId, setCompoundId, error, loaded } = state
  if (error) return <Text className='adm-alert adm-alert--error'>{`加载小区失败：${error}`}</Text>
  if (!loaded) return <Text className='adm-muted'>正在加载小区…</Text>
  if (compounds.length === 0) {
    return <Text className='adm-alert adm-alert--warn'>您的管辖范围内还没有小区，请先在「地点与二维码」中建立。</Text>
  }
  return (
    <View className='adm-card' data-testid='compound-picker'>
      <Text className='adm-label'>小区</Text>
      <View className='adm-chips'>
        {compounds.map((c) => (
          <Button
            key={c.id}
            className={`adm-chip${c.id === compoundId ? ' adm-chip--on' : ''}`}
            aria-pressed={c.id === compoundId}
            onClick={() => setCompoundId(c.id)}
            data-testid='compound-chip'
          >
            {c.name}
          </Button>
        ))}
      </View>
    </View>
  )
}
