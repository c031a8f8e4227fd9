import type { ScopedMembership } from './policy'
import {
  mayManageResources,
  mayMatchResources,
  mayReadResources,
  resourceContactRole,
  resourceKindOf,
  splitTags,
} from './resources'
import { ROLES, type Role } from './roles'

// district d → street s → community c → compound k1 (building b1 → unit u1), compound k2
const path: Record<string, string[]> = {
  d: ['d'],
  s: ['d', 's'],
  c: ['d', 's', 'c'],
  k1: ['d', 's', 'c', 'k1'],
  k2: ['d', 's', 'c', 'k2'],
  b1: ['d', 's', 'c', 'k1', 'b1'],
  u1: ['d', 's', 'c', 'k1', 'b1', 'u1'],
}
const k1 = { id: 'k1', path: path.k1 }
const at = (role: Role, place: keyof typeof path): ScopedMembership[] => [{ role, placeId: place, placePath: path[place] }]

describe('resources vocabulary', () => {
  it('reads a kind by its Chinese label or its code', () => {
    expect(['单位', '志愿者', '场地', 'venue', ' 志愿者 ', '学校', ''].map(resourceKindOf)).toEqual([
      'unit',
      'volunteer',
      'venue',
      'venue',
      'volunteer',
      null,
      null,
    ])
  })

  it('splits skills typed in one field on Chinese and Latin separators, once each', () => {
    expect(splitTags('理发、陪诊，理发; 水电 维修,,')).toEqual(['理发', '陪诊', '水电', '维修'])
    expect(splitTags('  ')).toEqual([])
  })

  it("is kept by the compound's admins and 网格长 only", () => {
    const keepers = ROLES.filter((role) => mayManageResources(at(role, role === 'admin' ? 'c' : 'k1'), k1))
    expect(keepers).toEqual(['grid_lead', 'admin'])
    expect(mayManageResources(at('grid_lead', 'b1'), k1)).toBe(false) // a 网格长 of one building only
    expect(mayManageResources(at('grid_lead', 'c'), k1)).toBe(false) // a 网格长 above the compound
    expect(mayManageResources(at('grid_lead', 'k2'), k1)).toBe(false)
  })

  it('is read by its keepers, the handlers in it and the supervisors above it; not by another compound', () => {
    for (const role of ROLES) {
      const place = role === 'admin' || role === 'community_supervisor' ? 'c' : role === 'street_supervisor' ? 's' : role === 'district_supervisor' ? 'd' : 'k1'
      expect([role, mayReadResources(at(role, place), k1)]).toEqual([role, true])
      expect([role, mayReadResources(at(role, role === 'admin' || role.endsWith('supervisor') ? place : 'k2'), { id: 'k2', path: path.k2 })]).toEqual([role, true])
    }
    expect(mayReadResources(at('building_lead', 'b1'), k1)).toBe(true)
    expect(mayReadResources(at('police', 'k2'), k1)).toBe(false)
  })

  it("shows contacts in full only to the compound's 网格长, 物业 and 自管小组", () => {
    const full = ROLES.filter((role) => resourceContactRole(at(role, role === 'admin' ? 'c' : 'k1'), k1) !== null)
    expect(full).toEqual(['grid_lead', 'self_management_lead', 'property_manager'])
    expect(resourceContactRole(at('grid_lead', 'k2'), k1)).toBeNull()
    expect(resourceContactRole(at('grid_lead', 'c'), k1)).toBeNull()
  })

  it('is matched by staff who handle requests at the place', () => {
    expect(mayMatchResources(at('building_lead', 'b1'), path.u1)).toBe(true)
    expect(mayMatchResources(at('building_lead', 'b1'), path.k1)).toBe(false)
    expect(mayMatchResources(at('community_supervisor', 'c'), path.u1)).toBe(false)
    expect(mayMatchResources(at('admin', 'c'), path.u1)).toBe(false)
  })
})
