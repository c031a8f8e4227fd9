import type { ReactNode } from 'react'
import { ConfigProvider } from '@nutui/nutui-react-taro'
import { View } from '@tarojs/components'
import { useElderMode } from '@/elder/elder-mode'
import { ELDER_THEME, NORMAL_THEME } from './theme'
import './kit.scss'

/**
 * The root of every page (the resident, staff and admin frames wrap their content in it): the NutUI theme
 * of the device's mode, so kit components and the app's own style sheets read the same variables. The
 * page's own root inside carries its class, its test id and `mq-elder` in 长辈模式 (for the few rules a
 * variable cannot express).
 */
export function Kit({ className, testId, children }: { className?: string; testId?: string; children: ReactNode }) {
  const { elder } = useElderMode()
  const mode = elder ? ' mq-elder' : ''
  return (
    <ConfigProvider theme={elder ? ELDER_THEME : NORMAL_THEME} direction='ltr' className={`mq-kit${mode}`}>
      <View className={`mq-kit__page${className ? ` ${className}` : ''}${mode}`} data-testid={testId}>
        {children}
      </View>
    </ConfigProvider>
  )
}
