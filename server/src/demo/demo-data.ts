import type { CategoryCode, Channel, Role } from '@mq/shared'

/** Demo password for every demo account (documented in the README; demo mode only). */
export const DEMO_PASSWORD = 'Demo@2026'

export const DEMO_PLACES = {
  district: '西湖区',
  street: '西溪街道',
  community: '石灰桥社区',
  compound: '石灰桥新村',
  /** Units per building: 8 buildings of 2–4 units. */
  buildings: [2, 3, 4, 2, 3, 4, 3, 2],
} as const

export interface DemoAccount {
  role: Role
  name: string
  phone: string
  /** Where the membership sits. */
  at: 'compound' | 'building1' | 'community' | 'street' | 'district'
}

/** One account per role. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: 'grid_lead', name: '王丽', phone: '13800000001', at: 'compound' },
  { role: 'police', name: '陈刚', phone: '13800000002', at: 'compound' },
  { role: 'traffic_police', name: '赵强', phone: '13800000003', at: 'compound' },
  { role: 'city_management', name: '孙伟', phone: '13800000004', at: 'compound' },
  { role: 'market_supervision', name: '周敏', phone: '13800000005', at: 'compound' },
  { role: 'building_lead', name: '吴建国', phone: '13800000006', at: 'building1' },
  { role: 'self_management_lead', name: '郑秀英', phone: '13800000007', at: 'compound' },
  { role: 'property_manager', name: '冯涛', phone: '13800000008', at: 'compound' },
  { role: 'liaison', name: '何静', phone: '13800000009', at: 'compound' },
  { role: 'compound_secretary', name: '杨书记', phone: '13800000010', at: 'compound' },
  { role: 'community_supervisor', name: '林主任', phone: '13800000011', at: 'community' },
  { role: 'street_supervisor', name: '黄科长', phone: '13800000012', at: 'street' },
  { role: 'district_supervisor', name: '徐处长', phone: '13800000013', at: 'district' },
  { role: 'admin', name: '社区管理员', phone: '13800000014', at: 'community' },
]

export const DEMO_RESIDENT = { openid: 'demo-openid-0001', name: '李明', phone: '13700001111' }

export interface DemoRequest {
  building: number
  unit: number
  category: CategoryCode
  description: string
  channel: Channel
  /** A proxy entry filed by the grid lead for a resident without a smartphone. */
  proxy?: { name: string; phone: string }
}

export const DEMO_REQUESTS: readonly DemoRequest[] = [
  { building: 1, unit: 1, category: 'facilities', description: '1单元三楼楼道灯坏了，晚上看不清台阶。', channel: 'miniapp' },
  { building: 3, unit: 2, category: 'leak', description: '顶楼楼道天花板下雨天渗水，墙皮脱落。', channel: 'miniapp' },
  { building: 5, unit: 1, category: 'parking', description: '小区东门口经常有车乱停，消防车进不来。', channel: 'h5' },
  {
    building: 2,
    unit: 1,
    category: 'elderly_care',
    description: '独居老人需要有人帮忙买菜、陪同看病。',
    channel: 'visit',
    proxy: { name: '张桂芳', phone: '13912345678' },
  },
]
