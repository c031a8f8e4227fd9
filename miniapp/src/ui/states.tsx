/**
 * One way to show a resource's state on every page: a skeleton while the first answer is on its way, the
 * server's words and a retry button when it failed, an empty state when there is nothing, else the page's
 * content. Built on NutUI's Skeleton, Empty and Button.
 */
import type { ReactNode } from 'react'
import { Button, Empty, Skeleton } from '@nutui/nutui-react-taro'
import { View } from '@tarojs/components'
import type { ApiError } from '@/api/client'
import type { Resource } from '@/data/resource'

/** What to say when a load failed: the network, or the server's own message. */
export function failureText(error: ApiError): string {
  if (error.code === 'NETWORK_ERROR') return '网络不太顺畅，请检查手机网络后再试一次。'
  return error.message || '服务暂时繁忙，请稍后再试一次。'
}

/** A failed load, with the server's words and a way to try again. */
export function LoadFailed({ error, onRetry, testId }: { error: ApiError; onRetry: () => void; testId?: string }) {
  return (
    <View className='mq-state' data-testid={testId ?? 'load-error'}>
      <Empty
        status='error'
        image={<View className='mq-empty-mark' />}
        title={error.code === 'NETWORK_ERROR' ? '网络不太顺畅' : '暂时没有加载出来'}
        description={failureText(error)}
      />
      {error.requestId ? <View className='mq-state__id'>{`错误编号：${error.requestId}`}</View> : null}
      <Button type='primary' size='large' block onClick={onRetry} data-testid='load-retry'>
        重新加载
      </Button>
    </View>
  )
}

/** Nothing to show, said plainly (and what to do about it, as `children`). */
export function Nothing({ title, description, testId, children }: { title: string; description?: string; testId?: string; children?: ReactNode }) {
  return (
    <View className='mq-state' data-testid={testId}>
      <Empty image={<View className='mq-empty-mark' />} title={title} description={description ?? ''} />
      {children}
    </View>
  )
}

/** Grey lines where content will be. */
export function Loading({ rows = 3, testId }: { rows?: number; testId?: string }) {
  return (
    <View className='mq-state' data-testid={testId ?? 'loading'} aria-busy='true' aria-label='正在加载'>
      <Skeleton rows={rows} animated />
    </View>
  )
}

/**
 * A resource's content once loaded; a skeleton, a failure with retry, or an empty state until then.
 * `isEmpty` decides when the answer has nothing to show; `empty` is what to show then.
 */
export function Loaded<T>({
  resource,
  children,
  isEmpty,
  empty,
  rows,
  errorTestId,
}: {
  resource: Resource<T>
  children: (data: T) => ReactNode
  isEmpty?: (data: T) => boolean
  empty?: ReactNode
  rows?: number
  errorTestId?: string
}) {
  const { data, error, reload } = resource
  if (data === undefined) {
    if (error) return <LoadFailed error={error} onRetry={() => void reload()} testId={errorTestId} />
    return <Loading rows={rows} />
  }
  if (isEmpty?.(data)) return <>{empty ?? <Nothing title='暂时没有内容' />}</>
  return <>{children(data)}</>
}
