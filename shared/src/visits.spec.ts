import { compareVisitDue, registerAccess, visitDue } from './visits'
import type { ScopedMembership } from './policy'

const DISTRICT = 'd'
const STREET = 's'
const COMMUNITY = 'c'
const COMPOUND = 'x'
const BUILDING = 'b1'
const UNIT = 'u1'
const unitPath = [DISTRICT, STREET, COMMUNITY, COMPOUND, BUILDING, UNIT]
const target = { unitPath, compoundId: COMPOUND }
const at = (role: ScopedMembership['role'], placePath: string[]): ScopedMembership => ({
  role,
  placeId: placePath[placePath.length - 1],
  placePath,
})

describe('who sees the visit register', () => {
  it('in full: 网格长, 物业 and 自管小组 of the compound', () => {
    for (const role of ['grid_lead', 'property_manager', 'self_management_lead'] as const)
      expect(registerAccess([at(role, [DISTRICT, STREET, COMMUNITY, COMPOUND])], target)).toBe('full')
  })

  it('masked: the compound’s other handlers and its secretary; a 楼道长 only in their building', () => {
    for (const role of ['police', 'traffic_police', 'city_management', 'market_supervision', 'liaison', 'compound_secretary'] as const)
      expect(registerAccess([at(role, [DISTRICT, STREET, COMMUNITY, COMPOUND])], target)).toBe('masked')
    expect(registerAccess([at('building_lead', [DISTRICT, STREET, COMMUNITY, COMPOUND, BUILDING])], target)).toBe('masked')
    expect(registerAccess([at('building_lead', [DISTRICT, STREET, COMMUNITY, COMPOUND, 'b2'])], target)).toBe('none')
  })

  it('counts: supervisors above the compound and admins; a grid lead placed at the community is not of the compound', () => {
    expect(registerAccess([at('community_supervisor', [DISTRICT, STREET, COMMUNITY])], target)).toBe('counts')
    expect(registerAccess([at('district_supervisor', [DISTRICT])], target)).toBe('counts')
    expect(registerAccess([at('admin', [DISTRICT, STREET, COMMUNITY])], target)).toBe('counts')
    expect(registerAccess([at('grid_lead', [DISTRICT, STREET, COMMUNITY])], target)).toBe('counts')
  })

  it('none: another compound', () => {
    expect(registerAccess([at('grid_lead', [DISTRICT, STREET, COMMUNITY, 'y'])], target)).toBe('none')
    expect(registerAccess([], target)).toBe('none')
  })
})

describe('when a household is due', () => {
  // 2026-12-01 10:00 in Shanghai.
  const last = '2026-12-01T02:00:00Z'
  it('is due the interval’s local day after the last contact, overdue from the day after', () => {
    expect(visitDue(last, '2026-01-01T00:00:00Z', 7, '2026-12-07T15:59:00Z')).toEqual({ dueDate: '2026-12-08', state: 'upcoming', daysOverdue: 0 })
    // 00:30 on 12-08 in Shanghai is the due day, whatever the hour.
    expect(visitDue(last, '2026-01-01T00:00:00Z', 7, '2026-12-07T16:30:00Z')).toEqual({ dueDate: '2026-12-08', state: 'due_today', daysOverdue: 0 })
    expect(visitDue(last, '2026-01-01T00:00:00Z', 7, '2026-12-10T01:00:00Z')).toEqual({ dueDate: '2026-12-08', state: 'overdue', daysOverdue: 2 })
  })

  it('counts from registration before any contact', () => {
    expect(visitDue(null, last, 30, '2026-12-31T02:00:00Z')).toMatchObject({ dueDate: '2026-12-31', state: 'due_today' })
  })

  it('orders the day: earliest due first', () => {
    const a = visitDue(null, last, 30, last)
    const b = visitDue(last, last, 7, last)
    expect([a, b].sort(compareVisitDue).map((d) => d.dueDate)).toEqual(['2026-12-08', '2026-12-31'])
  })
})
