import type { NeedStatus, CategoryCode, Channel, MeetingKind, Role } from '@mq/shared'
import type { VisitKind, VisitReason, Wellbeing } from '@mq/shared'
import type { TemplateSeed } from '../templates/templates.service'
import type { ResourceSeed } from '../resources/resources.service'

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

/** The demo compound's resources list (资源清单): units around it, volunteers and their skills, venues. */
export const DEMO_RESOURCES: readonly ResourceSeed[] = [
  { kind: 'unit', name: '石灰桥小学', tags: ['场地开放', '志愿讲座'], address: '学院路 12 号', contactName: '沈老师', contactPhone: '0571-88120001', availability: '周末操场向居民开放' },
  { kind: 'unit', name: '西湖法院巡回审判点', tags: ['法律咨询', '纠纷调解'], address: '社区党群服务中心二楼', contactName: '许法官', contactPhone: '0571-88120002', availability: '每月第二个周三下午' },
  { kind: 'unit', name: '老张面馆', tags: ['老年助餐', '送餐上门'], address: '小区北门对面', contactName: '张师傅', contactPhone: '13900000101', availability: '中午 11:00-13:00 可送餐' },
  { kind: 'unit', name: '顺达物流', tags: ['搬运', '车辆支援'], address: '文二路 88 号', contactName: '刘经理', contactPhone: '13900000102', availability: '提前一天预约' },
  { kind: 'volunteer', name: '李秀英', tags: ['理发', '陪诊'], address: '3幢', contactName: '李秀英', contactPhone: '13900000103', availability: '工作日上午' },
  { kind: 'volunteer', name: '张建华', tags: ['水电维修', '家电维修'], address: '5幢', contactName: '张建华', contactPhone: '13900000104', availability: '晚上和周末' },
  { kind: 'volunteer', name: '陈晓', tags: ['手机教学', '代办'], address: '7幢', contactName: '陈晓', contactPhone: '13900000105', availability: '周六下午' },
  { kind: 'volunteer', name: '周医生', tags: ['量血压', '健康咨询'], address: '2幢', contactName: '周文', contactPhone: '13900000106', availability: '每周二上午' },
  { kind: 'venue', name: '居民活动室', tags: ['下棋', '开会'], openingHours: '每天 8:00-20:00', address: '1幢架空层' },
  { kind: 'venue', name: '党群服务中心会议室', tags: ['议事', '培训'], openingHours: '工作日 9:00-17:00', address: '小区南门', contactName: '何静', contactPhone: '13800000009' },
  { kind: 'venue', name: '中心广场', tags: ['活动', '义诊'], openingHours: '全天开放', address: '4幢与5幢之间' },
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

/** A household on the demo visit register (走访对象) of 石灰桥新村. */
export interface DemoVisitHousehold {
  building: number
  unit: number
  room: string
  people: readonly { name: string; phone?: string }[]
  reasons: readonly VisitReason[]
  intervalDays: number
  /** The grid worker: the demo account of this role. */
  assignee: 'grid_lead' | 'self_management_lead'
  notes?: string
  registeredDaysAgo: number
  lastVisit?: { daysAgo: number; kind: VisitKind; wellbeing: Wellbeing; needsFound?: string }
}

/** Visits: some overdue, one due today, some not yet, most assigned to the demo 网格长. */
export const DEMO_VISIT_HOUSEHOLDS: readonly DemoVisitHousehold[] = [
  {
    building: 2,
    unit: 1,
    room: '201',
    people: [{ name: '张桂芳', phone: '13912345678' }],
    reasons: ['living_alone', 'no_smartphone'],
    intervalDays: 7,
    assignee: 'grid_lead',
    notes: '耳背，敲门要用力；女儿在外地',
    registeredDaysAgo: 60,
    lastVisit: { daysAgo: 10, kind: 'visit', wellbeing: 'fair', needsFound: '想有人帮忙买菜' },
  },
  {
    building: 5,
    unit: 1,
    room: '102',
    people: [{ name: '周永福' }, { name: '周阿英', phone: '13912340102' }],
    reasons: ['no_smartphone'],
    intervalDays: 30,
    assignee: 'grid_lead',
    registeredDaysAgo: 40,
  },
  {
    building: 3,
    unit: 2,
    room: '502',
    people: [{ name: '刘德福', phone: '13912340502' }],
    reasons: ['disabled'],
    intervalDays: 14,
    assignee: 'grid_lead',
    notes: '轮椅出行，五楼无电梯',
    registeredDaysAgo: 90,
    lastVisit: { daysAgo: 14, kind: 'call', wellbeing: 'good' },
  },
  {
    building: 1,
    unit: 1,
    room: '301',
    people: [{ name: '陈阿婆', phone: '13912340301' }],
    reasons: ['living_alone'],
    intervalDays: 7,
    assignee: 'grid_lead',
    registeredDaysAgo: 30,
    lastVisit: { daysAgo: 2, kind: 'visit', wellbeing: 'good' },
  },
  {
    building: 6,
    unit: 3,
    room: '601',
    people: [{ name: '马秀兰', phone: '13912340601' }],
    reasons: ['living_alone', 'other'],
    intervalDays: 7,
    assignee: 'self_management_lead',
    notes: '刚出院',
    registeredDaysAgo: 20,
    lastVisit: { daysAgo: 3, kind: 'call', wellbeing: 'attention', needsFound: '出院后需要有人陪同复查' },
  },
]

/** Reply templates (常用回复) seeded for the demo: most at the compound, a few shared by the community. */
export const DEMO_TEMPLATES: Record<'compound' | 'community', readonly TemplateSeed[]> = {
  compound: [
    {
      action: 'accept',
      category: null,
      title: '已受理',
      text: '您好！您反映的问题（编号{编号}）我们已经受理，由{负责人}负责跟进，会尽快处理。有事可以打{电话}找我们，感谢您的反映！',
    },
    {
      action: 'accept',
      category: null,
      title: '今天到现场',
      text: '您好，诉求{编号}已收到，我们今天就安排人到现场查看，请您留意电话。负责人：{负责人}，电话{电话}。',
    },
    {
      action: 'accept',
      category: 'facilities',
      title: '报修已派单',
      text: '您好，您的报修（{编号}）已受理，维修师傅会尽快上门，上门前会先和您电话联系。有疑问请打{电话}。',
    },
    {
      action: 'wait',
      category: null,
      title: '请补充位置',
      text: '您好，为了尽快处理{编号}，麻烦您告诉我们具体的楼层和位置，方便的话再拍张照片发过来。谢谢您！',
    },
    {
      action: 'wait',
      category: null,
      title: '请告知在家时间',
      text: '您好，处理{编号}需要上门查看，请告诉我们您哪天、几点方便在家。谢谢配合！',
    },
    {
      action: 'reply',
      category: null,
      title: '协调处理方案',
      text: '您好，关于{编号}，我们已联系相关部门，先到现场核实情况，再协调解决；办结前会随时告诉您进展。负责人{负责人}，电话{电话}。',
    },
    {
      action: 'reply',
      category: 'leak',
      title: '需维修基金',
      text: '您好，{编号}涉及楼道公共部位维修，需要申请维修基金，我们会尽快走完流程并安排施工，期间有进展会及时告诉您。',
    },
    {
      action: 'resolve',
      category: null,
      title: '已处理完毕',
      text: '您好，您反映的问题（{编号}）已于{日期}处理完毕，请您查看。如果还有问题，随时联系{负责人}（{电话}）。',
    },
    {
      action: 'resolve',
      category: 'facilities',
      title: '已修好',
      text: '您好，{日期}维修师傅已经修好了，附上处理后的照片。感谢您耐心等待，麻烦您给我们的服务评个价。',
    },
    {
      action: 'resolve',
      category: 'sanitation',
      title: '已清理干净',
      text: '您好，{日期}已安排保洁清理干净，附上清理后的照片。我们会加强日常巡查，感谢您的监督！',
    },
    {
      action: 'reject',
      category: null,
      title: '请走法律途径',
      text: '您好，经了解，{编号}涉及民事纠纷，需要通过法律途径解决。建议您到街道法律服务站免费咨询，我们也可以帮您预约。',
    },
  ],
  community: [
    {
      action: 'reject',
      category: null,
      title: '不在办理范围',
      text: '您好，经核实，{编号}不属于社区和物业的办理范围，建议您拨打12345市民服务热线反映。如有疑问请联系{负责人}（{电话}）。',
    },
  ],
}

/** A joint meeting (联席会议) of the demo compound: when, who by role, which requests, what was decided. */
export interface DemoMeeting {
  kind: MeetingKind
  title: string
  /** Days from the day the demo is seeded (negative: in the past), at `time` (local). */
  dayOffset: number
  time: { hour: number; minute: number }
  venue: string
  attendeeRoles: readonly Role[]
  held: boolean
  /** Indexes into DEMO_REQUESTS. */
  agenda: readonly number[]
  decisions: readonly {
    /** Index into `agenda`, or null for a general decision. */
    agendaIndex: number | null
    ownerRole: Role
    /** Working days from the day the demo is seeded. */
    workingDays: number
    publicSummary: string
    internalNote: string
    /** Carried out, with its public note. */
    doneNote?: string
  }[]
}

/** One held 九长大会 with decisions (one on the leaking roof, one on the east gate, carried out) and one planned. */
export const DEMO_MEETINGS: readonly DemoMeeting[] = [
  {
    kind: 'nine_heads',
    title: '石灰桥新村九长大会（12月）',
    dayOffset: -3,
    time: { hour: 14, minute: 30 },
    venue: '石灰桥社区议事厅',
    attendeeRoles: ['grid_lead', 'police', 'traffic_police', 'self_management_lead', 'property_manager', 'compound_secretary'],
    held: true,
    agenda: [1, 2],
    decisions: [
      {
        agendaIndex: 0,
        ownerRole: 'property_manager',
        workingDays: 7,
        publicSummary: '物业本周内请防水公司查看3幢顶楼，雨季前完成屋面修补；维修期间在楼道张贴告示。',
        internalNote: '维修资金走专项维修基金，业委会已口头同意，书面材料由自管小组收集。',
      },
      {
        agendaIndex: 1,
        ownerRole: 'traffic_police',
        workingDays: 2,
        publicSummary: '东门口划定禁停黄线，交警每周两次巡查；物业门岗劝离临时停车。',
        internalNote: '城管协助清理门口占道摊位。',
        doneNote: '禁停黄线已划好，巡查已开始，东门口消防通道畅通。',
      },
      {
        agendaIndex: null,
        ownerRole: 'compound_secretary',
        workingDays: 10,
        publicSummary: '每月第一周召开九长大会，会议纪要在各幢公示栏张贴。',
        internalNote: '',
      },
    ],
  },
  {
    kind: 'tripartite',
    title: '三方联动议事会：3幢屋面维修',
    dayOffset: 6,
    time: { hour: 19, minute: 0 },
    venue: '石灰桥新村党群服务站',
    attendeeRoles: ['self_management_lead', 'property_manager', 'compound_secretary', 'community_supervisor'],
    held: false,
    agenda: [1],
    decisions: [],
  },
]

/** Residents' needs (居民需求) of the demo compound: where they were raised, how far they got, how many households support them. */
export interface DemoNeed {
  building: number
  unit: number
  title: string
  description: string
  status: NeedStatus
  reason: string | null
  supporters: number
}

export const DEMO_NEEDS: readonly DemoNeed[] = [
  { building: 2, unit: 1, title: '老年食堂助餐点', description: '小区老人多，希望在社区用房开一个助餐点，中午能吃上热饭。', status: 'in_progress', reason: null, supporters: 41 },
  { building: 5, unit: 2, title: '增设电动自行车充电桩', description: '楼下没有地方充电，不少人把电瓶车推上楼，很危险。', status: 'planned', reason: null, supporters: 23 },
  { building: 3, unit: 1, title: '3幢加装电梯', description: '3幢都是六层，楼上住的老人上下楼很困难，希望加装电梯。', status: 'collecting', reason: null, supporters: 12 },
  { building: 1, unit: 2, title: '增设自行车棚', description: '自行车没有地方停，下雨天都淋湿了。', status: 'done', reason: null, supporters: 17 },
  {
    building: 7,
    unit: 1,
    title: '小区里设快递柜',
    description: '快递经常放在门口丢失，希望小区里设快递柜。',
    status: 'not_feasible',
    reason: '消防通道两侧不能占用，暂无合适场地；社区正在协调北门外的空地。',
    supporters: 8,
  },
]
