import { decisionOverdue, mayOrganiseMeetings } from './meetings'
import type { ScopedMembership } from './policy'

const DISTRICT = 'd'
const STREET = 's'
const COMMUNITY = 'c'
const COMPOUND = 'x'
const BUILDING = 'b'
const PATH = [DISTRICT, STREET, COMMUNITY, COMPOUND]
const at = (role: ScopedMembership['role'], placeId: string, placePath: string[]): ScopedMembership => ({ role, placeId, placePath })

describe('who organises a compound’s joint meetings', () => {
  it('is its 网格长 and secretary, and the supervisors above it', () => {
    expect(mayOrganiseMeetings([at('grid_lead', COMPOUND, PATH)], PATH)).toBe(true)
    expect(mayOrganiseMeetings([at('compound_secretary', COMPOUND, PATH)], PATH)).toBe(true)
    expect(mayOrganiseMeetings([at('community_supervisor', COMMUNITY, PATH.slice(0, 3))], PATH)).toBe(true)
    expect(mayOrganiseMeetings([at('district_supervisor', DISTRICT, PATH.slice(0, 1))], PATH)).toBe(true)
  })

  it('is not another role of the compound, a 网格长 of one building only, an admin, or another compound’s staff', () => {
    expect(mayOrganiseMeetings([at('property_manager', COMPOUND, PATH)], PATH)).toBe(false)
    expect(mayOrganiseMeetings([at('grid_lead', BUILDING, [...PATH, BUILDING])], PATH)).toBe(false)
    expect(mayOrganiseMeetings([at('admin', COMMUNITY, PATH.slice(0, 3))], PATH)).toBe(false)
    expect(mayOrganiseMeetings([at('grid_lead', 'y', [DISTRICT, STREET, COMMUNITY, 'y'])], PATH)).toBe(false)
  })
})

describe('an overdue decision', () => {
  it('is open past its target day, not on it, and never once done', () => {
    expect(decisionOverdue({ status: 'open', targetDate: '2026-12-10' }, '2026-12-11')).toBe(true)
    expect(decisionOverdue({ status: 'open', targetDate: '2026-12-10' }, '2026-12-10')).toBe(false)
    expect(decisionOverdue({ status: 'done', targetDate: '2026-12-10' }, '2026-12-30')).toBe(false)
  })
})
