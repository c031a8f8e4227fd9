import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ADMIN_HOME_PAGE, STAFF_LOGIN_PAGE, isAdmin, logout, membershipLabels } from '@/api/auth'
import { useStaffSession } from '@/hooks/use-staff-session'
import '../login/index.scss'
import './index.scss'

async function signOut(): Promise<void> {
  await logout('staff')
  await Taro.reLaunch({ url: STAFF_LOGIN_PAGE })
}

/** Where handlers and supervisors land after logging in, until the inbox arrives. */
export function StaffHomePage() {
  const session = useStaffSession()
  if (session.kind === 'signed-out') return <View className='staff-login' />
  const { me } = session
  return (
    <View className='staff-login'>
      <View className='staff-login__card' data-testid='staff-home'>
        <Text className='staff-login__brand'>民情二维码 · 工作人员</Text>
        <Text className='staff-login__title'>{`您好，${me.name}`}</Text>
        <View className='staff-home__roles' data-testid='staff-home-roles'>
          {membershipLabels(me).map((label) => (
            <Text key={label} className='staff-home__role'>
              {label}
            </Text>
          ))}
        </View>
        <View className='staff-login__alert staff-login__alert--notice'>
          <Text className='staff-login__alert-text'>
            待办诉求（收件箱）、代录和回访功能即将上线。上线前如有紧急诉求，请按原有方式处理。
          </Text>
        </View>
        {isAdmin(me) ? (
          <Button className='staff-login__submit' onClick={() => void Taro.redirectTo({ url: ADMIN_HOME_PAGE })}>
            进入管理后台
          </Button>
        ) : null}
        <Button className='staff-home__logout' onClick={() => void signOut()} data-testid='staff-logout'>
          退出登录
        </Button>
      </View>
    </View>
  )
}

export default StaffHomePage
