import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { ElderModeToggle } from '@/elder/elder-mode'
import { Button } from '@/ui/button'
import { Kit } from '@/ui/kit'
import { PrivacyPrompt } from './privacy'
import './resident.scss'

/**
 * The frame of a resident page: the kit's theme for the device's mode, its title, the 长辈模式 switch,
 * and (in WeChat) the privacy-agreement sheet, ready whenever the page calls a privacy API.
 */
export function ResidentPage({
  title,
  testId,
  className,
  children,
}: {
  title: string
  testId: string
  className?: string
  children: ReactNode
}) {
  return (
    <Kit className={`mq-page${className ? ` ${className}` : ''}`} testId={testId}>
      <View className='mq-header'>
        <Text className='mq-header__name'>{title}</Text>
        <ElderModeToggle />
      </View>
      {children}
      <PrivacyPrompt />
    </Kit>
  )
}

/** A failed load, with the server's words and a way to try again (pages move to <Loaded> in src/ui). */
export function LoadError({ message, onRetry, testId }: { message: string; onRetry: () => void; testId?: string }) {
  return (
    <View className='mq-card' data-testid={testId ?? 'load-error'}>
      <Text className='mq-error-title'>暂时没有加载出来</Text>
      <Text className='mq-text'>{message || '网络或服务暂时不可用，请稍后再试。'}</Text>
      <Button type='primary' size='large' block onClick={onRetry} data-testid='load-retry'>
        重新加载
      </Button>
    </View>
  )
}
