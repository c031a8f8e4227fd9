import { StaffListSchema, StaffViewSchema, type Role } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  newPhone,
  signIn,
  TEST_PASSWORD,
  type CompoundFixture,
} from '../../test/factories'
import { StaffService } from './staff.service'
import type { Staff } from './staff.entity'
import { StaffAdminModule } from './staff-admin.module'

describe('admins manage the staff under their place', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let admin: Staff
  let headers: { authorization: string }
  beforeAll(async () => {
    t = await startTestModule({ imports: [StaffAdminModule], http: true })
    c = await makeCompound(t, [1, 1])
    other = await makeCompound(t, [1])
    admin = await makeStaff(t, 'admin', c.community, '社区管理员')
    headers = await authHeader(t, { staff: admin })
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, as = headers) =>
    t.app.inject({ method, url, headers: as, ...(payload ? { payload } : {}) })
  const login = (phone: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/staff/login', payload: { phone, password } })
  const create = (
    memberships: { placeId: string; role: Role }[],
    password = 'Start2026a',
    phone = newPhone(),
  ) => call('POST', '/api/admin/staff', { name: '新同事', phone, password, memberships })

  it('creates an account with its memberships; the new colleague logs in', async () => {
    const phone = newPhone()
    const res = await create(
      [
        { placeId: c.compound.id, role: 'property_manager' },
        { placeId: c.buildings[1].id, role: 'building_lead' },
      ],
      'Start2026a',
      phone,
    )
    expect(res.statusCode).toBe(201)
    const view = StaffViewSchema.parse(res.json())
    expect(view).toMatchObject({
      name: '新同事',
      phone,
      active: true,
      managedElsewhere: false,
      lockedUntil: null,
    })
    expect(view.memberships.map((m) => [m.role, m.place.name])).toEqual([
      ['property_manager', c.compound.name],
      ['building_lead', '2幢'],
    ])
    expect((await login(phone, 'Start2026a')).statusCode).toBe(200)
    const list = StaffListSchema.parse((await call('GET', '/api/admin/staff')).json())
    expect(list.items.map((s) => s.id)).toEqual(expect.arrayContaining([view.id, admin.id]))
  })

  it('refuses weak passwords (400), taken phones (409), roles at the wrong kind of place (400) and places outside its scope (404)', async () => {
    const weak = await create([{ placeId: c.compound.id, role: 'police' }], 'abcdefgh')
    expect(weak.statusCode).toBe(400)
    expect(weak.json().details).toEqual([{ path: 'password', message: '密码须同时包含字母和数字' }])
    expect((await create([{ placeId: c.compound.id, role: 'police' }], 'short1')).statusCode).toBe(400)
    const taken = await create([{ placeId: c.compound.id, role: 'police' }], 'Start2026a', admin.phone)
    expect(taken.statusCode).toBe(409)
    expect(taken.json().code).toBe('PHONE_TAKEN')
    const misplaced = await create([{ placeId: c.compound.id, role: 'street_supervisor' }])
    expect(misplaced.statusCode).toBe(400)
    expect(misplaced.json().message).toMatch(/街道只能设在街道/)
    const outside = await create([{ placeId: other.compound.id, role: 'police' }])
    expect(outside.statusCode).toBe(404)
    expect(outside.json().code).toBe('PLACE_NOT_FOUND')
    // Above the admin's own place is outside too.
    expect((await create([{ placeId: c.street.id, role: 'street_supervisor' }])).statusCode).toBe(404)
  })

  it('an admin of another compound gets 404 for this compound’s staff, and sees none of them in its list', async () => {
    const police = await makeStaff(t, 'police', c.compound)
    const otherAdmin = await authHeader(t, { staff: await makeStaff(t, 'admin', other.community) })
    for (const [method, url, payload] of [
      ['GET', `/api/admin/staff/${police.id}`, undefined],
      ['PATCH', `/api/admin/staff/${police.id}`, { active: false }],
      ['POST', `/api/admin/staff/${police.id}/password`, { password: 'Hijack2026' }],
      ['POST', `/api/admin/staff/${police.id}/memberships`, { placeId: other.compound.id, role: 'police' }],
    ] as const) {
      const res = await call(method, url, payload, otherAdmin)
      expect([url, res.statusCode]).toEqual([url, 404])
      expect(res.json().code).toBe('STAFF_NOT_FOUND')
    }
    const list = StaffListSchema.parse((await call('GET', '/api/admin/staff', undefined, otherAdmin)).json())
    expect(list.items.map((s) => s.id)).not.toContain(police.id)
    expect((await login(police.phone, TEST_PASSWORD)).statusCode).toBe(200)
  })

  it('resets a password: the old one stops working, sessions end, a lockout is lifted', async () => {
    const police = await makeStaff(t, 'police', c.compound)
    const session = await signIn(t, { staff: police })
    for (let i = 0; i < 5; i++) await login(police.phone, 'Wrong12345')
    expect((await login(police.phone, TEST_PASSWORD)).statusCode).toBe(423)
    expect(
      StaffViewSchema.parse((await call('GET', `/api/admin/staff/${police.id}`)).json()).lockedUntil,
    ).not.toBeNull()

    expect(
      (await call('POST', `/api/admin/staff/${police.id}/password`, { password: 'weak' })).statusCode,
    ).toBe(400)
    expect(
      (await call('POST', `/api/admin/staff/${police.id}/password`, { password: 'Fresh2026b' })).statusCode,
    ).toBe(204)
    expect((await login(police.phone, TEST_PASSWORD)).statusCode).toBe(401)
    expect((await login(police.phone, 'Fresh2026b')).statusCode).toBe(200)
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    })
    expect(old.statusCode).toBe(401)
  })

  it('deactivates an account (its sessions end at once, login says it is disabled) and reactivates it', async () => {
    const police = await makeStaff(t, 'police', c.compound)
    const session = await signIn(t, { staff: police })
    const off = await call('PATCH', `/api/admin/staff/${police.id}`, { active: false })
    expect(off.statusCode).toBe(200)
    expect(off.json().active).toBe(false)
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    })
    expect(me.statusCode).toBe(401)
    const refused = await login(police.phone, TEST_PASSWORD)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('ACCOUNT_DISABLED')
    // Only someone who knows the password learns the account is disabled.
    expect((await login(police.phone, 'Wrong12345')).statusCode).toBe(401)
    expect(
      (await call('PATCH', `/api/admin/staff/${police.id}`, { active: true, name: '复职' })).json(),
    ).toMatchObject({
      active: true,
      name: '复职',
    })
    expect((await login(police.phone, TEST_PASSWORD)).statusCode).toBe(200)
    const self = await call('PATCH', `/api/admin/staff/${admin.id}`, { active: false })
    expect(self.statusCode).toBe(409)
  })

  it('adds and removes memberships, but never the last one (deactivate instead)', async () => {
    const person = await makeStaff(t, 'police', c.compound)
    const added = await call('POST', `/api/admin/staff/${person.id}/memberships`, {
      placeId: c.buildings[0].id,
      role: 'building_lead',
    })
    expect(added.statusCode).toBe(201)
    const view = StaffViewSchema.parse(added.json())
    expect(view.memberships.map((m) => m.role)).toEqual(['police', 'building_lead'])
    const again = await call('POST', `/api/admin/staff/${person.id}/memberships`, {
      placeId: c.buildings[0].id,
      role: 'building_lead',
    })
    expect(again.statusCode).toBe(409)
    const [police, lead] = view.memberships
    expect((await call('DELETE', `/api/admin/staff/${person.id}/memberships/${police.id}`)).statusCode).toBe(
      204,
    )
    const last = await call('DELETE', `/api/admin/staff/${person.id}/memberships/${lead.id}`)
    expect(last.statusCode).toBe(409)
    expect(last.json().message).toMatch(/停用账号/)
    const unknown = await call('DELETE', `/api/admin/staff/${person.id}/memberships/${police.id}`)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('MEMBERSHIP_NOT_FOUND')
  })

  it('an account that also serves elsewhere: its memberships here are manageable, the account itself is not', async () => {
    const shared = await makeStaff(t, 'police', c.compound)
    await t.app
      .get(StaffService)
      .addMembership({ staffId: shared.id, placeId: other.compound.id, role: 'police' })
    const view = StaffViewSchema.parse((await call('GET', `/api/admin/staff/${shared.id}`)).json())
    expect(view.managedElsewhere).toBe(true)
    expect(view.memberships.map((m) => m.place.id)).toEqual([c.compound.id]) // the other compound stays private
    const reset = await call('POST', `/api/admin/staff/${shared.id}/password`, { password: 'Fresh2026b' })
    expect(reset.statusCode).toBe(403)
    expect((await call('PATCH', `/api/admin/staff/${shared.id}`, { active: false })).statusCode).toBe(403)
    const added = await call('POST', `/api/admin/staff/${shared.id}/memberships`, {
      placeId: c.buildings[0].id,
      role: 'building_lead',
    })
    expect(added.statusCode).toBe(201)
  })

  it('only admins get in: other roles 403, residents 403, anonymous 401', async () => {
    const gridLead = await authHeader(t, { staff: await makeStaff(t, 'grid_lead', c.compound) })
    expect((await call('GET', '/api/admin/staff', undefined, gridLead)).statusCode).toBe(403)
    const resident = await authHeader(t, { resident: await makeResident(t) })
    expect((await call('GET', '/api/admin/staff', undefined, resident)).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/staff' })).statusCode).toBe(401)
  })
})
