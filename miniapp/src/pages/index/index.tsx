import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES, pageUrl, SERVICE_PROMISE } from '@mq/shared'
import { ResidentPage } from '@/components/resident-page'
import { Button } from '@/ui/button'
import { CAN_SCAN_IN_APP, scanStairwellCode } from '@/utils/scan-code'
import './index.scss'

const STEPS = [
  '打开微信，点右上角的「＋」，选「扫一扫」。',
  '对准您家楼道（单元门口）张贴的「民情二维码」。',
  '看到您的小区和楼号后，点「我要反映问题」，把事情说清楚就行。',
] as const

async function scanAndOpen(): Promise<void> {
  const token = await scanStairwellCode()
  if (token) await Taro.navigateTo({ url: pageUrl(PAGES.resident.scan, { token }) })
}

/** Home: what the service is and how to use it, for residents who open the app without scanning. */
export function IndexPage() {
  return (
    <ResidentPage title='使用说明' testId='home-page' className='home'>
      <View className='mq-card'>
        <Text className='mq-title'>民情二维码</Text>
        <Text className='mq-text'>
          家门口的大事小情，扫一扫楼道里的二维码就能反映，负责您这栋楼的工作人员会及时处理。
        </Text>
      </View>

      <View className='mq-card' data-testid='home-steps'>
        <Text className='mq-subtitle'>怎么用</Text>
        {STEPS.map((step, i) => (
          <View key={step} className='home-step'>
            <Text className='home-step__number'>{String(i + 1)}</Text>
            <Text className='home-step__text'>{step}</Text>
          </View>
        ))}
      </View>

      <View className='mq-card'>
        <Text className='mq-subtitle'>服务承诺</Text>
        <Text className='mq-text' data-testid='home-promise'>
          {SERVICE_PROMISE}
        </Text>
      </View>

      {CAN_SCAN_IN_APP ? (
        <Button type='primary' size='large' block className='mq-action' onClick={() => void scanAndOpen()}>
          扫一扫楼道二维码
        </Button>
      ) : (
        <Text className='mq-muted'>提示：请用微信或手机相机扫描楼道里的二维码。</Text>
      )}
      <Button
        size='large'
        block
        className='mq-action'
        onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.resident.mine) })}
        data-testid='home-mine'
      >
        我反映过的问题
      </Button>
    </ResidentPage>
  )
}

export default IndexPage
