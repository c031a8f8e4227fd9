import {
  ACTIONS,
  can,
  mayAct,
  passwordProblem,
  personalDataRole,
  ROLE_ACTIONS,
  rolePlaceAllowed,
  scopeOf,
  type ScopedMembership,
} from './policy'
import { PERSONAL_DATA_ROLES, ROLES } from './roles'

// district d → street s → community c → compound k1 (building b1 → unit u1), compound k2 (building b2 → unit u2)
const path = {
  d: ['d'],
  c: ['d', 's', 'c'],
  k1: ['d', 's', 'c', 'k1'],
  k2: ['d', 's', 'c', 'k2'],
  b1: ['d', 's', 'c', 'k1', 'b1'],
  u1: ['d', 's', 'c', 'k1', 'b1', 'u1'],
  u2: ['d', 's', 'c', 'k2', 'b2', 'u2'],
}
const at = (role: ScopedMembership['role'], where: keyof typeof path): ScopedMembership => ({
  role,
  placeId: where,
  placePath: path[where],
})
const ticketInK1 = { path: path.u1, compoundId: 'k1' }

describe('policy', () => {
  it('gives every role a row, and only admins manage staff or read the access log', () => {
    expect(Object.keys(ROLE_ACTIONS).sort()).toEqual([...ROLES].sort())
    for (const role of ROLES) {
      expect(can(role, 'manage_staff')).toBe(role === 'admin')
      expect(can(role, 'view_access_log')).toBe(role === 'admin')
      expect(can(role, 'view_tickets')).toBe(role !== 'admin')
    }
    expect(ACTIONS).toContain('handle_tickets')
    expect(can('compound_secretary', 'handle_tickets')).toBe(true)
    expect(can('district_supervisor', 'handle_tickets')).toBe(false)
  })

  it('a membership covers its place and everything under it, nothing beside it', () => {
    expect(mayAct([at('police', 'k1')], 'view_tickets', path.u1)).toBe(true)
    expect(mayAct([at('police', 'k1')], 'view_tickets', path.u2)).toBe(false)
    expect(mayAct([at('building_lead', 'b1')], 'view_tickets', path.u1)).toBe(true)
    expect(mayAct([at('building_lead', 'b1')], 'view_tickets', path.k1)).toBe(false)
    expect(mayAct([at('district_supervisor', 'd')], 'view_tickets', path.u2)).toBe(true)
    expect(mayAct([at('admin', 'c')], 'view_tickets', path.u1)).toBe(false)
    expect(scopeOf([at('admin', 'c'), at('police', 'k1'), at('admin', 'c')], 'manage_staff')).toEqual(['c'])
  })

  it('personal data: 网格长, 物业, 居民自管小组 of that compound only', () => {
    for (const role of ROLES) {
      const expected = PERSONAL_DATA_ROLES.includes(role) ? role : null
      expect(personalDataRole([at(role, 'k1')], ticketInK1)).toBe(expected)
    }
    // Of another compound, or above the compound: masked.
    expect(personalDataRole([at('grid_lead', 'c')], ticketInK1)).toBeNull()
    expect(personalDataRole([at('property_manager', 'k1')], { path: path.u2, compoundId: 'k2' })).toBeNull()
    // Inside the compound and covering the request: in full.
    expect(personalDataRole([at('grid_lead', 'b1')], ticketInK1)).toBe('grid_lead')
    // A second, unrelated membership does not widen the first.
    expect(personalDataRole([at('police', 'k1'), at('grid_lead', 'k2')], ticketInK1)).toBeNull()
  })

  it('memberships sit where the role belongs', () => {
    expect(rolePlaceAllowed('building_lead', 'building')).toBe(true)
    expect(rolePlaceAllowed('grid_lead', 'community')).toBe(false)
    expect(rolePlaceAllowed('community_supervisor', 'community')).toBe(true)
    expect(rolePlaceAllowed('community_supervisor', 'compound')).toBe(false)
    expect(rolePlaceAllowed('admin', 'unit')).toBe(false)
  })

  it('passwords: at least 8 characters with letters and digits', () => {
    expect(passwordProblem('abc123')).toMatch(/至少8位/)
    expect(passwordProblem('abcdefgh')).toMatch(/字母和数字/)
    expect(passwordProblem('12345678')).toMatch(/字母和数字/)
    expect(passwordProblem('x'.repeat(120) + '123456789')).toMatch(/不能超过/)
    expect(passwordProblem('Demo@2026')).toBeNull()
    expect(passwordProblem('abcd1234')).toBeNull()
  })
})
