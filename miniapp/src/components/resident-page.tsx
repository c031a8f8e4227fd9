import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { ElderModeToggle } from '@/elder/elder-mode'
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
