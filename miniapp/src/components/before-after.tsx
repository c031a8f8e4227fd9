import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import './before-after.scss'

/**
 * A resolution's photos beside the resident's: 处理前 on the left, 处理后 on the right (stacked below
 * 320 px). Each side is the page's own photo list (the resident's loader or staff's); an empty side says so.
 * No API import here: residents' and staff's pages both use it.
 */
export function BeforeAfter({ before, after, testId }: { before: ReactNode | null; after: ReactNode | null; testId: string }) {
  return (
    <View className='mq-before-after' data-testid={testId}>
      <View className='mq-before-after__col' data-testid={`${testId}-before`}>
        <Text className='mq-before-after__label'>处理前</Text>
        {before ?? <Text className='mq-before-after__none'>居民没有附照片</Text>}
      </View>
      <View className='mq-before-after__col' data-testid={`${testId}-after`}>
        <Text className='mq-before-after__label'>处理后</Text>
        {after ?? <Text className='mq-before-after__none'>办结时没有附照片</Text>}
      </View>
    </View>
  )
}
