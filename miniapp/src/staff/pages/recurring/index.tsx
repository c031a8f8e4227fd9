import { View } from '@tarojs/components'

/** 重点问题: placeholder until the page lands. */
export function RecurringPage() {
  return <View data-testid='recurring-page' />
}

export default RecurringPage
