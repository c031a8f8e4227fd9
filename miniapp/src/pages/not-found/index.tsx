import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PAGES, pageUrl } from '@mq/shared'
import { ResidentPage } from '@/components/resident-page'
import { Button } from '@/ui/button'
import './index.scss'

/** Whether the missing address was meant for staff (their pages live under /staff and /admin). */
function staffAddress(path: string): boolean {
  return /^\/?(staff|admin)(\/|$)/.test(path)
}

/**
 * An address the app has no page for (a mistyped link, a page of an older version): says so in plain
 * words and offers the way home, instead of a blank screen. The app opens it for any unknown page path.
 */
export function NotFoundPage() {
  const { params } = useRouter()
  const path = params.path ? decodeURIComponent(params.path) : ''
  return (
    <ResidentPage title='页面不存在' testId='not-found-page'>
      <View className='mq-card not-found' data-testid='not-found'>
        <Text className='mq-muted not-found__code'>404</Text>
        <Text className='mq-title'>没有找到这个页面</Text>
        <Text className='mq-text'>您打开的地址不存在，可能是链接输错了，或者页面已经更换。</Text>
        {path ? (
          <Text className='mq-muted not-found__path' data-testid='not-found-path'>
            {`地址：${path}`}
          </Text>
        ) : null}
        <Button
          type='primary'
          size='large'
          block
          className='mq-action'
          onClick={() => void Taro.reLaunch({ url: pageUrl(PAGES.resident.index) })}
          data-testid='not-found-home'
        >
          回到首页
        </Button>
        {staffAddress(path) ? (
          <Button
            size='large'
            block
            className='mq-action'
            onClick={() => void Taro.reLaunch({ url: pageUrl(PAGES.staff.login) })}
            data-testid='not-found-staff'
          >
            工作人员登录
          </Button>
        ) : null}
        <Text className='mq-muted not-found__hint'>要反映问题，请扫描您家楼道里张贴的「民情二维码」。</Text>
      </View>
    </ResidentPage>
  )
}

export default NotFoundPage
