import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ADMIN_HOME_PAGE, STAFF_HOME_PAGE, homePageFor, type StaffMe } from '@/api/auth'
import { PrivacyPrompt } from '@/components/privacy'
import { ElderModeToggle } from '@/elder/elder-mode'
import { useStaffSession } from '@/hooks/use-staff-session'
import { Button } from '@/ui/button'
import { Kit } from '@/ui/kit'
import './staff.scss'

export { ErrorNote } from './parts'

/** Back where the user came from; opened from a link or a notification, there is nothing behind: home. */
export function goBack(): void {
  backFrom(null)
}

/**
 * Back where the user came from; with nothing behind (a link, a notification, the admin console's
 * navigation): the user's home, which for an admin is the console.
 */
function backFrom(me: StaffMe | null): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
  else void Taro.reLaunch({ url: me ? homePageFor(me) : STAFF_HOME_PAGE })
}

/** The bar's one back button names the console when that is where it goes (nothing behind, an admin). */
function backLabel(me: StaffMe | null): string {
  const toConsole = me !== null && Taro.getCurrentPages().length <= 1 && homePageFor(me) === ADMIN_HOME_PAGE
  return toConsole ? '返回管理后台' : '返回'
}

/**
 * A staff page's frame: the kit's theme for the device's mode (some grid workers are elderly: 长辈模式
 * holds here too), the bar (back, title, the mode switch, a slot on the right) and the session guard (no
 * session → login page, with the reason when the server ended it). `children` renders once the account
 * is known.
 */
export function StaffFrame({
  title,
  back = true,
  right,
  children,
  testId,
}: {
  title: string
  back?: boolean
  right?: ReactNode
  children: (me: StaffMe) => ReactNode
  testId?: string
}) {
  const session = useStaffSession()
  const me = session.kind === 'signed-out' ? null : session.me
  return (
    <Kit className='st' testId={testId}>
      <View className='st-bar'>
        {back ? (
          <Button className='st-bar__back' onClick={() => backFrom(me)} aria-label={backLabel(me)} data-testid='staff-back'>
            {`‹ ${backLabel(me)}`}
          </Button>
        ) : null}
        <Text className='st-bar__title'>{title}</Text>
        <View className='st-bar__tools'>
          <ElderModeToggle />
          {session.kind === 'signed-out' ? null : right}
        </View>
      </View>
      <View className='st-body'>{session.kind === 'signed-out' ? null : children(session.me)}</View>
      <PrivacyPrompt purpose='照片和语音用于记录诉求的现场、办理结果和与居民的沟通，只在本系统内查看。' />
    </Kit>
  )
}
