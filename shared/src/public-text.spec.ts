import { publicSummaryOf, redactPublicText, toPublicRequest, type PublicRequestFacts } from './public-text'
import { PublicRequestSchema } from './schemas/public-request'

/**
 * What residents write, and what the public may read of it. Personal data (phones, ID numbers, rooms,
 * names, plates) is masked with `*`; dates, times, amounts, buildings and stairwells stay.
 */
const TABLE: [written: string, shown: string][] = [
  // Mobile numbers, however they are written.
  ['楼道灯坏了，电话13912345678', '楼道灯坏了，电话***'],
  ['有事请打我手机 139 1234 5678，谢谢', '有事请打我手机 ***，谢谢'],
  ['联系方式：139-1234-5678', '联系方式：***'],
  ['+86 139 1234 5678 这是我的号码', '*** 这是我的号码'],
  ['请回电+8613912345678', '请回电***'],
  ['电话：18600001111，下午在家', '电话：***，下午在家'],
  ['我的微信就是手机号15057112345', '我的微信就是手机号***'],
  // Landlines.
  ['家里座机0571-88881234，白天有人', '家里座机***，白天有人'],
  ['打（0571）88881234找我', '打***找我'],
  ['座机号码是 88881234', '座机号码是 ***'],
  ['有问题拨8888-1234', '有问题拨***'],
  // ID-card numbers.
  ['身份证号330102198001011234，申请补贴', '身份证号***，申请补贴'],
  ['我老伴的身份证是33010219800101123X', '我老伴的身份证是***'],
  ['旧身份证330102800101123', '旧身份证***'],
  // Rooms.
  ['我住3-502，楼上天天漏水', '我住***，楼上天天漏水'],
  ['3幢502卫生间顶上渗水', '3幢***卫生间顶上渗水'],
  ['3号楼2单元502室门口堆满杂物', '3号楼2单元***室门口堆满杂物'],
  ['502室的空调外机滴水到我家窗台', '***室的空调外机滴水到我家窗台'],
  ['3单元502的狗每天晚上叫', '3单元***的狗每天晚上叫'],
  ['12-1-1502楼下的车库门坏了', '***楼下的车库门坏了'],
  ['我家住5楼，电梯又停了', '我家住*楼，电梯又停了'],
  ['5楼东户装修噪音很大', '*楼东户装修噪音很大'],
  ['2单元5楼的声控灯不亮', '2单元*楼的声控灯不亮'],
  ['我住1201，热水器漏水', '我住***，热水器漏水'],
  ['3栋1单元301房门口有异味', '3栋1单元***房门口有异味'],
  // Names.
  ['我是王小明，楼道灯坏了', '我是***，楼道灯坏了'],
  ['我叫李娟，住在3幢', '我叫**，住在3幢'],
  ['楼上姓张的人家天天往下扔垃圾', '楼上姓*的人家天天往下扔垃圾'],
  ['本人陈建国，反映车棚漏雨', '本人***，反映车棚漏雨'],
  ['联系人：刘芳 电话13800001234', '联系人：** 电话***'],
  ['姓名：赵强，楼下有人烧纸', '姓名：**，楼下有人烧纸'],
  ['楼下王阿姨家的水管爆了', '楼下*阿姨家的水管爆了'],
  ['请联系李女士处理', '请联系*女士处理'],
  ['老王家的狗随地大小便', '老*家的狗随地大小便'],
  ['我是欧阳娜娜，想问问加装电梯的事', '我是****，想问问加装电梯的事'],
  ['对门姓欧阳的邻居占了楼道', '对门姓**的邻居占了楼道'],
  ['物业的周师傅说明天来修', '物业的*师傅说明天来修'],
  // Plates.
  ['浙A12345长期占用消防通道', '***长期占用消防通道'],
  ['新能源车浙A·D12345停在绿化带上', '新能源车***停在绿化带上'],
  ['一辆苏E 88888的车堵住了单元门', '一辆***的车堵住了单元门'],
  // Several at once.
  ['我是张建华，住3-502，电话13912345678，楼道灯坏了', '我是***，住***，电话***，楼道灯坏了'],
  ['王先生（13712345678）家在3幢502室，门口漏水', '*先生（***）家在3幢***室，门口漏水'],
  ['我叫孙丽，我家5楼，手机139 0000 1111，下水道堵了', '我叫**，我家*楼，手机***，下水道堵了'],
  ['联系人是周敏，座机0571-88001234，2单元302门口', '联系人是**，座机***，2单元***门口'],
  ['邮箱zhangsan@example.com，请把处理结果发给我', '邮箱***，请把处理结果发给我'],
  ['QQ 123456789，有进展告诉我', 'QQ ***，有进展告诉我'],
  // Nothing personal: dates, times, amounts, buildings, stairwells, common words.
  ['3号楼楼道灯坏了一个星期了', '3号楼楼道灯坏了一个星期了'],
  ['12月5日晚上17:00以后电梯就停了', '12月5日晚上17:00以后电梯就停了'],
  ['2026-12-05 早上8点水管爆裂', '2026-12-05 早上8点水管爆裂'],
  ['物业说修电梯要收200元，合理吗', '物业说修电梯要收200元，合理吗'],
  ['维修基金要交1500块，大家意见不一', '维修基金要交1500块，大家意见不一'],
  ['3幢2单元门口的路灯不亮', '3幢2单元门口的路灯不亮'],
  ['5楼和6楼之间的窗户玻璃碎了', '5楼和6楼之间的窗户玻璃碎了'],
  ['小区门口的垃圾两天没人收了', '小区门口的垃圾两天没人收了'],
  ['我是业主，想反映车位乱收费', '我是业主，想反映车位乱收费'],
  ['我是楼上的住户，楼道里堆了很多纸箱', '我是楼上的住户，楼道里堆了很多纸箱'],
  ['叫了物业三次都没人来', '叫了物业三次都没人来'],
  ['保安师傅态度很好，就是门禁卡坏了', '保安师傅态度很好，就是门禁卡坏了'],
  ['请维修师傅周六上午来', '请维修师傅周六上午来'],
  ['电梯每天早上7:30到8:30特别挤', '电梯每天早上7:30到8:30特别挤'],
  ['停车费从每月100-200元涨到300元', '停车费从每月100-200元涨到300元'],
  ['这个问题2025-2026年反映过好几次', '这个问题2025-2026年反映过好几次'],
  ['老人家腿脚不便，希望有人帮忙买菜', '老人家腿脚不便，希望有人帮忙买菜'],
  ['等了两小时，热水还是没来', '等了两小时，热水还是没来'],
  ['老师说学校门口要装减速带', '老师说学校门口要装减速带'],
  ['1号楼到3号楼之间的绿化带被占了', '1号楼到3号楼之间的绿化带被占了'],
  ['楼道里有20多辆电动车在充电', '楼道里有20多辆电动车在充电'],
  ['晚上10点以后还有广场舞，音乐太响', '晚上10点以后还有广场舞，音乐太响'],
  ['门卫大爷说快递要放到驿站', '门卫大爷说快递要放到驿站'],
  ['第3单元的单元门关不上', '第3单元的单元门关不上'],
  ['每层200元的清洁费太贵了', '每层200元的清洁费太贵了'],
]

describe('redactPublicText: what residents write and what the public reads', () => {
  it('has a table of at least 60 sentences', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60)
  })

  it.each(TABLE)('%s', (written, shown) => {
    expect(redactPublicText(written)).toBe(shown)
  })

  it('leaves no digit run of a phone, ID or room where something was redacted', () => {
    for (const [written] of TABLE.filter(([w, s]) => w !== s)) {
      const out = redactPublicText(written)
      expect(out).not.toMatch(/1[3-9]\d{9}/)
      expect(out).not.toMatch(/\d{15}/)
      expect(out).not.toMatch(/\d-\d{3}/)
    }
  })

  it('masks the personal data the server knows wherever it occurs, also where no pattern would find it', () => {
    expect(redactPublicText('我是公示测试居民，房号A座1203，楼道灯坏了', ['公示测试居民', 'A座1203', '13912345678'])).toBe(
      '我是******，房号***，楼道灯坏了',
    )
    expect(redactPublicText('和冼志强说过好几次了', ['冼志强', null, undefined])).toBe('和***说过好几次了')
    // Too short to mask safely: left to the patterns (a room "5" would otherwise eat every 5).
    expect(redactPublicText('12月5日5楼', ['5', '王'])).toBe('12月5日5楼')
  })

  it('is stable: redacting twice changes nothing more', () => {
    for (const [written, shown] of TABLE) expect(redactPublicText(shown)).toBe(redactPublicText(written))
  })
})

const facts = (over: Partial<PublicRequestFacts> = {}): PublicRequestFacts => ({
  id: '00000000-0000-4000-8000-000000000001',
  number: 'MQ000001',
  category: 'facilities',
  severity: 'simple',
  state: 'accepted',
  compoundName: '石灰桥新村',
  buildingName: '3幢',
  unitName: '2单元',
  createdAt: new Date('2026-12-05T01:00:00Z'),
  replyBy: null,
  nextDueAt: new Date('2026-12-05T09:00:00Z'),
  followerCount: 2,
  reopenCount: 0,
  description: '我是张建华，住3-502，电话13912345678，楼道灯坏了',
  publicText: null,
  replyPlan: null,
  promisedAt: null,
  repliedAt: null,
  resolutionNote: null,
  resolvedAt: null,
  publicCommitment: null,
  publicResolution: null,
  ...over,
})

describe('toPublicRequest: the one public projection', () => {
  it('shows the redacted description, the places and dates, and nothing else', () => {
    const view = toPublicRequest(facts())
    expect(PublicRequestSchema.strict().parse(view)).toEqual(view)
    expect(view.publicText).toBe('我是***，住***，电话***，楼道灯坏了')
    expect(JSON.stringify(view)).not.toMatch(/张建华|3-502|13912345678/)
    expect(view).toMatchObject({ buildingName: '3幢', unitName: '2单元', createdAt: '2026-12-05T01:00:00.000Z', reopened: false })
  })

  it("shows staff's 公示 edit as written instead of the description", () => {
    const view = toPublicRequest(facts({ publicText: '3幢2单元楼道灯不亮' }))
    expect(view.publicText).toBe('3幢2单元楼道灯不亮')
  })

  it('redacts the reply plan and the resolution note unless staff edited them', () => {
    const replied = facts({
      replyPlan: '已联系3-502的王先生，周六上门',
      promisedAt: new Date('2026-12-07T10:00:00Z'),
      repliedAt: new Date('2026-12-05T02:00:00Z'),
      resolutionNote: '已为502室更换灯泡，电话13912345678回访',
      resolvedAt: new Date('2026-12-06T02:00:00Z'),
    })
    expect(toPublicRequest(replied).promise).toEqual({ plan: '已联系***的*先生，周六上门', promisedAt: '2026-12-07T10:00:00.000Z' })
    expect(toPublicRequest(replied).resolution?.note).toBe('已为***室更换灯泡，电话***回访')
    const edited = toPublicRequest({ ...replied, publicCommitment: '周六上门维修', publicResolution: '已更换灯泡' })
    expect([edited.promise?.plan, edited.resolution?.note]).toEqual(['周六上门维修', '已更换灯泡'])
  })

  it('says which parts are edited', () => {
    expect(publicSummaryOf(facts()).edited).toBe(false)
    expect(publicSummaryOf(facts({ publicText: '楼道灯坏了' })).edited).toBe(true)
  })
})
