import { useEffect, useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { PhotoRef } from '@mq/shared'
import { photoDisplayUrl } from '@/api/requests'

/** Photos of a request that need the resident's token: loaded one by one, tap to enlarge. */
export function TicketPhotos({ refs, testId }: { refs: readonly PhotoRef[]; testId: string }) {
  const [urls, setUrls] = useState<Record<string, string | null>>({})
  const key = refs.map((r) => r.id).join(',')
  useEffect(() => {
    let current = true
    for (const ref of refs) {
      photoDisplayUrl(ref.url).then(
        (url) => current && setUrls((u) => ({ ...u, [ref.id]: url })),
        () => current && setUrls((u) => ({ ...u, [ref.id]: null })),
      )
    }
    return () => {
      current = false
    }
    // `key` names the photos; the array itself is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  const shown = refs.map((r) => urls[r.id]).filter((u): u is string => Boolean(u))
  return (
    <View className='mq-photos' data-testid={testId}>
      {refs.map((ref) => {
        const url = urls[ref.id]
        return (
          <View
            key={ref.id}
            className='mq-photo'
            onClick={() => url && void Taro.previewImage({ urls: shown, current: url })}
            data-testid='detail-photo'
          >
            {url ? (
              <Image className='mq-photo__img' src={url} mode='aspectFill' />
            ) : (
              <Text className='mq-photo__placeholder'>{url === null ? '照片加载失败' : '加载中…'}</Text>
            )}
          </View>
        )
      })}
    </View>
  )
}
