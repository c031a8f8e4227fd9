import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES, PERSONAL_DATA_ROLES, pageUrl } from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { visitDueCount } from '@/api/visits'
import { useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import './due-card.scss'

/** Whether the caller may be a grid worker (the roles that see the visit register in full). */
export function visitsGridWorker(me: StaffMe): boolean {
  return me.memberships.some((m) => PERSONAL_DATA_ROLES.includes(m.role) && ['compound', 'building', 'unit'].includes(m.place.kind))
}

/** The inbox's line about visits: how many of the caller's households are overdue or due today, and the way to the schedule. */
export function VisitsDueCard({ me }: { me: StaffMe }) {
  const grid = visitsGridWorker(me)
  const due = useResource(grid ? 'visit-due' : null, visitDueCount)
  if (!grid) return null
  const count = due.data ? due.data.overdue + due.data.dueToday : null
  return (
    <View className='mq-card visits-due' data-testid='inbox-visits' data-due={count === null ? '' : String(count)}>
      <View>
        <Text className='mq-card__title'>{count ? `走访到期 ${count} 户` : '走访'}</Text>
        <Text className='st-hint'>
          {due.data
            ? count
              ? `逾期 ${due.data.overdue} 户 · 今天到期 ${due.data.dueToday} 户`
              : '今天没有到期的走访'
            : due.error
              ? '暂时读不到走访名单'
              : '正在读取…'}
        </Text>
      </View>
      <Button
        type={count ? 'primary' : 'default'}
        onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.staff.visits) })}
        data-testid='inbox-visits-open'
      >
        走访名单
      </Button>
    </View>
  )
}
