import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES, pageUrl, ROLE_LABELS } from '@mq/shared'
import { STAFF_HOME_PAGE, STAFF_LOGIN_PAGE, logout, type StaffMe } from '@/api/auth'
import { ElderModeToggle } from '@/elder/elder-mode'
import { useStaffSession } from '@/hooks/use-staff-session'
import { Button } from '@/ui/button'
import { Kit } from '@/ui/kit'
import { Nothing } from '@/ui/states'
import './admin.scss'

export type AdminSection = 'places' | 'staff' | 'routing' | 'deadlines' | 'templates' | 'resources' | 'notifications' | 'access-log' | 'metrics' | 'ledger'

/** `short` fits three across a 320px phone (the phone nav wraps to rows of three). */
const SECTIONS: { key: AdminSection; label: string; short: string; url: string }[] = [
  { key: 'places', label: '地点与二维码', short: '地点与二维码', url: pageUrl(PAGES.admin.places) },
  { key: 'staff', label: '人员与岗位', short: '人员与岗位', url: pageUrl(PAGES.admin.staff) },
  { key: 'routing', label: '分派规则', short: '分派规则', url: pageUrl(PAGES.admin.routing) },
  { key: 'deadlines', label: '时限设置', short: '时限设置', url: pageUrl(PAGES.admin.deadlines) },
  { key: 'templates', label: '常用回复', short: '常用回复', url: pageUrl(PAGES.admin.templates) },
  // In the staff subpackage: admins keep the compound's resources list with its 网格长.
  { key: 'resources', label: '资源清单', short: '资源清单', url: pageUrl(PAGES.staff.resources) },
  { key: 'notifications', label: '通知失败', short: '通知失败', url: pageUrl(PAGES.admin.notifications) },
  { key: 'access-log', label: '个人信息查看记录', short: '信息查看记录', url: pageUrl(PAGES.admin.accessLog) },
  // In the staff subpackage: shown to anyone whose other roles may view requests (admins alone may not).
  { key: 'metrics', label: '诉求统计', short: '诉求统计', url: pageUrl(PAGES.staff.metrics) },
  { key: 'ledger', label: '导出台账', short: '导出台账', url: pageUrl(PAGES.admin.ledger) },
]

async function signOut(): Promise<void> {
  await logout('staff')
  await Taro.reLaunch({ url: STAFF_LOGIN_PAGE })
}

function adminLabel(me: StaffMe): string {
  const admin = me.memberships.find((m) => m.role === 'admin')
  return admin ? `${ROLE_LABELS.admin} · ${admin.place.name}` : ''
}

interface FrameProps {
  me: StaffMe | null
  active: AdminSection | null
  /** The section's own page (not a sub-page like import or a staff member's detail). */
  atRoot: boolean
  children: ReactNode
}

function Frame({ me, active, atRoot, children }: FrameProps) {
  return (
    <Kit className='admin'>
      <View className='admin__top'>
        <View className='admin__brand'>
          <Text className='admin__brand-name'>民情二维码 · 管理后台</Text>
          {me ? <Text className='admin__brand-sub'>{adminLabel(me)}</Text> : null}
        </View>
        {me ? (
          <Text className='admin__who' data-testid='admin-who'>
            {me.name}
          </Text>
        ) : null}
        <ElderModeToggle />
        {me ? (
          <Button className='admin__logout' onClick={() => void signOut()} data-testid='admin-logout'>
            退出
          </Button>
        ) : null}
      </View>
      <View className='admin__body'>
        {active ? (
          <View className='admin__nav' data-testid='admin-nav'>
            {SECTIONS.map((section) => {
              const current = section.key === active
              return (
                <Button
                  key={section.key}
                  className='admin__nav-item'
                  type={current ? 'primary' : 'default'}
                  fill={current ? 'solid' : 'none'}
                  aria-current={current ? 'page' : undefined}
                  onClick={() => {
                    // Sections are top-level: start a fresh stack rather than piling pages up.
                    if (!current || !atRoot) void Taro.reLaunch({ url: section.url })
                  }}
                  data-testid={`admin-nav-${section.key}`}
                >
                  <Text className='admin__nav-long'>{section.label}</Text>
                  <Text className='admin__nav-short'>{section.short}</Text>
                </Button>
              )
            })}
          </View>
        ) : null}
        <View className='admin__main'>{children}</View>
      </View>
    </Kit>
  )
}

/**
 * The console's frame: header with the admin and logout, the section navigation, and the guard
 * (no session → login page; logged in without the admin role → a clear refusal, not a broken page).
 */
export function AdminShell({
  active,
  atRoot = true,
  children,
}: {
  active: AdminSection
  atRoot?: boolean
  children: (me: StaffMe) => ReactNode
}) {
  const session = useStaffSession({ admin: true })
  if (session.kind === 'signed-out') {
    return (
      <Frame me={null} active={null} atRoot>
        {null}
      </Frame>
    )
  }
  if (session.kind === 'forbidden') {
    return (
      <Frame me={session.me} active={null} atRoot>
        <Nothing
          testId='admin-forbidden'
          title='需要社区管理员权限'
          description='您的账号没有管理员岗位。如需设置小区、人员或打印二维码，请联系社区管理员。'
        >
          <Button type='primary' size='large' block onClick={() => void Taro.reLaunch({ url: STAFF_HOME_PAGE })}>
            返回工作人员首页
          </Button>
        </Nothing>
      </Frame>
    )
  }
  return (
    <Frame me={session.me} active={active} atRoot={atRoot}>
      {children(session.me)}
    </Frame>
  )
}
