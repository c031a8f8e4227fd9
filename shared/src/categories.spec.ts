import { CATEGORIES, CATEGORY_CODES, routingRuleFor } from './categories'
import { qrUrl, tokenFromScan } from './places'
import { canSeePersonalData, escalationRole } from './roles'

describe('default routing (责任清单)', () => {
  it('has one rule per category', () => {
    expect(CATEGORIES.map((c) => c.code)).toEqual([...CATEGORY_CODES])
  })

  it.each([
    ['sanitation', 'property_manager', [], 'simple'],
    ['leak', 'property_manager', [], 'complex'],
    ['parking', 'traffic_police', ['property_manager'], 'complex'],
    ['fire_safety', 'property_manager', ['city_management'], 'simple'],
    ['shops', 'market_supervision', ['city_management'], 'complex'],
    ['suggestion', 'self_management_lead', [], 'complex'],
    ['other', 'grid_lead', [], 'simple'],
  ] as const)('%s → %s with %j, %s', (code, leadRole, coRoles, severity) => {
    expect(routingRuleFor(code)).toEqual({ leadRole, coRoles, severity })
  })

  it('a compound override wins', () => {
    const rule = { leadRole: 'grid_lead', coRoles: [], severity: 'complex' } as const
    expect(routingRuleFor('sanitation', { sanitation: { ...rule, coRoles: [] } })).toEqual(rule)
  })
})

describe('roles', () => {
  it('only 网格长, 物业 and 居民自管小组 see personal data', () => {
    expect(canSeePersonalData('grid_lead')).toBe(true)
    expect(canSeePersonalData('property_manager')).toBe(true)
    expect(canSeePersonalData('self_management_lead')).toBe(true)
    expect(canSeePersonalData('police')).toBe(false)
    expect(canSeePersonalData('compound_secretary')).toBe(false)
  })

  it('escalates secretary → community → street → district, then stays', () => {
    expect([0, 1, 2, 3, 4, 9].map(escalationRole)).toEqual([
      null,
      'compound_secretary',
      'community_supervisor',
      'street_supervisor',
      'district_supervisor',
      'district_supervisor',
    ])
  })
})

describe('QR URLs', () => {
  it('builds the URL the code encodes', () => {
    expect(qrUrl('https://mq.example.cn/', 'abcDEF123456')).toBe('https://mq.example.cn/q/abcDEF123456')
  })

  it('reads the token from a plain parameter or from WeChat’s encoded q', () => {
    expect(tokenFromScan({ token: 'abcDEF123456' })).toBe('abcDEF123456')
    expect(tokenFromScan({ q: encodeURIComponent('https://mq.example.cn/q/abcDEF123456') })).toBe('abcDEF123456')
    expect(tokenFromScan({ q: 'https://mq.example.cn/q/abcDEF123456?from=poster' })).toBe('abcDEF123456')
    expect(tokenFromScan({ q: '%E0%A4%A' })).toBeNull()
    expect(tokenFromScan({ q: encodeURIComponent('https://evil.example/x') })).toBeNull()
    expect(tokenFromScan({})).toBeNull()
  })
})
