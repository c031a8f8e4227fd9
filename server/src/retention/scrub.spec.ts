import { REMOVED_TEXT, scrubEventData, scrubText } from './scrub'

describe('scrubbing free text after the retention period', () => {
  it('cuts phone numbers, ID numbers and openids out of staff-written text, and keeps the rest', () => {
    expect(scrubText('已联系住户13812345678，下周更换楼道灯')).toBe('已联系住户[手机号已删除]，下周更换楼道灯')
    expect(scrubText('身份证 33010219800101123X 已核实')).toBe('身份证 [身份证号已删除] 已核实')
    expect(scrubText('openid oAbCdEfGhIjKlMnOpQrStUvWxYz1 绑定')).toBe('openid [已删除] 绑定')
    // Hotlines, dates, amounts and request numbers stay.
    const kept = '请拨打0571-12345；2026-11-21 前完成，费用120元，诉求MQ000123'
    expect(scrubText(kept)).toBe(kept)
  })

  it('replaces a resident’s free text whole, keeps tokens, numbers and instants, recursing through the data', () => {
    const data = {
      note: '我家302室，电话13900001111',
      via: 'resident',
      stars: 2,
      tags: ['态度好', 'fast'],
      at: '2022-01-01T08:00:00.000Z',
      nested: { id: '7b1f3a6e-2c4d-4e5f-8a9b-0c1d2e3f4a5b' },
    }
    expect(scrubEventData(data, true)).toEqual({
      note: REMOVED_TEXT,
      via: 'resident',
      stars: 2,
      tags: [REMOVED_TEXT, 'fast'],
      at: '2022-01-01T08:00:00.000Z',
      nested: { id: '7b1f3a6e-2c4d-4e5f-8a9b-0c1d2e3f4a5b' },
    })
    expect(scrubEventData({ plan: '更换灯泡，联系13900001111', promisedAt: '2022-01-03T00:00:00.000Z' }, false)).toEqual({
      plan: '更换灯泡，联系[手机号已删除]',
      promisedAt: '2022-01-03T00:00:00.000Z',
    })
  })
})
