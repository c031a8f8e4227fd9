import type { ReactNode } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { ElderModeToggle, elderClass, useElderMode } from '@/elder/elder-mode'
import { PrivacyPrompt } from './privacy'
import './resident.scss'

/**
 * The frame of a resident page: its title, the 长辈模式 switch, the page's look in that mode, and (in
 * WeChat) the privacy-agreement sheet, ready whenever the page calls a privacy API.
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
  const { elder } = useElderMode()
  return (
    <View className={`mq-page ${className ?? ''} ${elderClass(elder)}`} data-testid={testId}>
      <View className='mq-header'>
        <Text className='mq-header__name'>{title}</Text>
        <ElderModeToggle />
      </View>
      {children}
      <PrivacyPrompt />
    </View>
  )
}

/** A failed load, with the server's words and a way to try again. */
export function LoadError({ message, onRetry, testId }: { message: string; onRetry: () => void; testId?: string }) {
  return (
    <View className='mq-card' data-testid={testId ?? 'load-error'}>
      <Text className='mq-error-title'>暂时没有加载出来</Text>
      <Text className='mq-text'>{message || '网络或服务暂时不可用，请稍后再试。'}</Text>
      <Button className='mq-button mq-button--primary' onClick={onRetry} data-testid='load-retry'>
        重新加载
      </Button>
    </View>
  )
}
