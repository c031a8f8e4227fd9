/**
 * Open311 GeoReport v2 over HTTP: every response against the specification's
 * field lists in JSON and in XML (parsed back, element by element), the error cases, partner keys, and a
 * round trip: filed through Open311, routed and timed like any request, handled by staff through /api,
 * and its Open311 status and notes follow. No GET ever shows the filer's name or phone.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  newPhone,
  type CompoundFixture,
} from '../../test/factories'
import type { Staff } from '../staff/staff.entity'
import { Ticket } from '../tickets/ticket.entity'
import { open311Instant } from './open311.format'
import { Open311Module } from './open311.module'

/** The field lists of GeoReport v2 (wiki.open311.org/GeoReport_v2), written out here from the specification. */
const SPEC = {
  discovery: ['changeset', 'contact', 'key_service', 'endpoints'],
  endpoint: ['specification', 'url', 'changeset', 'type', 'formats'],
  service: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  service_definition: ['service_code', 'attributes'],
  attribute: [
    'variable',
    'code',
    'datatype',
    'required',
    'datatype_description',
    'order',
    'description',
    'values',
  ],
  value: ['key', 'name'],
  created: ['service_request_id', 'service_notice', 'account_id'],
  request: [
    'service_request_id',
    'status',
    'status_notes',
    'service_name',
    'service_code',
    'description',
    'agency_responsible',
    'service_notice',
    'requested_datetime',
    'updated_datetime',
    'expected_datetime',
    'address',
    'address_id',
    'zipcode',
    'lat',
    'long',
    'media_url',
  ],
  error: ['code', 'description'],
}
const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']
/** ISO 8601 as the w3 note has it, with the offset GeoReport requires. */
const W3_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const SHANGHAI = /\+08:00$/

type Json = Record<string, unknown>
/** What the checks read of an injected response. */
interface Response {
  statusCode: number
  headers: Record<string, unknown>
  body: string
  json(): unknown
}
const keysOf = (o: unknown) => Object.keys(o as Json).sort()
const sorted = (list: string[]) => [...list].sort()

/** Lists in the XML: the plural element holds one singular element per item. */
const XML_ITEMS = new Set(['service', 'request', 'attribute', 'value', 'endpoint', 'format', 'error'])
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => XML_ITEMS.has(name) })

/** The document of an XML response, after checking it is well-formed, UTF-8 and declared so. */
function xml(res: Response): Json {
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
  expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
  expect(XMLValidator.validate(res.body)).toBe(true)
  const doc = parser.parse(res.body) as Json
  delete doc['?xml']
  return doc
}

function json(res: Response): unknown {
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
  return res.json()
}

/** A list element of the XML: `<plural><item/>…</plural>`, or empty. */
function items(container: unknown, item: string): Json[] {
  if (container === '' || container === undefined) return []
  return ((container as Json)[item] ?? []) as Json[]
}

// Checks of each document against the field lists. JSON: the fields and their types. XML: the elements.
function checkServicesJson(body: unknown) {
  expect(Array.isArray(body)).toBe(true)
  for (const s of body as Json[]) {
    expect(keysOf(s)).toEqual(sorted(SPEC.service))
    expect(typeof s.service_code).toBe('string')
    expect(typeof s.metadata).toBe('boolean')
    expect(['realtime', 'batch', 'blackbox']).toContain(s.type)
  }
}
function checkServicesXml(doc: Json) {
  expect(Object.keys(doc)).toEqual(['services'])
  const services = items(doc.services, 'service')
  expect(services.length).toBeGreaterThan(0)
  for (const s of services) {
    expect(keysOf(s)).toEqual(sorted(SPEC.service))
    expect(['true', 'false']).toContain(s.metadata)
  }
  return services
}
function checkRequestJson(r: Json) {
  expect(keysOf(r)).toEqual(sorted(SPEC.request))
  expect(['open', 'closed']).toContain(r.status)
  expect(r.requested_datetime).toMatch(W3_INSTANT)
  expect(r.requested_datetime).toMatch(SHANGHAI)
  for (const field of ['updated_datetime', 'expected_datetime'])
    if (r[field] !== null) expect(r[field]).toMatch(W3_INSTANT)
}
function checkRequestsXml(doc: Json): Json[] {
  expect(Object.keys(doc)).toEqual(['service_requests'])
  const requests = items(doc.service_requests, 'request')
  for (const r of requests) {
    expect(keysOf(r)).toEqual(sorted(SPEC.request))
    expect(r.requested_datetime).toMatch(W3_INSTANT)
  }
  return requests
}
function checkErrorJson(res: Response, status: number) {
  expect(res.statusCode).toBe(status)
  const body = json(res) as Json[]
  expect(body).toHaveLength(1)
  expect(keysOf(body[0])).toEqual(sorted(SPEC.error))
  expect(body[0].code).toBe(status)
  expect(typeof body[0].description).toBe('string')
  return body[0].description as string
}
function checkErrorXml(res: Response, status: number) {
  expect(res.statusCode).toBe(status)
  const doc = xml(res)
  expect(Object.keys(doc)).toEqual(['errors'])
  const errors = items(doc.errors, 'error')
  expect(errors).toHaveLength(1)
  expect(keysOf(errors[0])).toEqual(sorted(SPEC.error))
  expect(errors[0].code).toBe(String(status))
}

describe('Open311 GeoReport v2', () => {
  let t: TestApp
  let c1: CompoundFixture
  let c2: CompoundFixture
  let pm: Staff
  let admin1: Staff
  let admin2: Staff
  let apiKey: string
  let keyId: string
  /** Every GET body, scanned at the end for the filers' personal data. */
  const getBodies: string[] = []
  /** Names and phones given when filing. */
  const personal: string[] = []

  beforeAll(async () => {
    t = await startTestModule({ imports: [Open311Module], http: true, env: { HOTLINE: '0731-12345' } })
    c1 = await makeCompound(t, [2, 2])
    c2 = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c1.compound, '物业李')
    await makeStaff(t, 'grid_lead', c1.compound, '网格长陈')
    await makeStaff(t, 'property_manager', c2.compound, '物业赵')
    admin1 = await makeStaff(t, 'admin', c1.community, '管理员一')
    admin2 = await makeStaff(t, 'admin', c2.community, '管理员二')
    const issued = await issueKey(admin1, c1.community.id, '12345市民热线')
    expect(issued.statusCode).toBe(201)
    apiKey = issued.json().apiKey
    keyId = issued.json().id
  })
  afterAll(async () => {
    // The filers' names and phones never appear in anything the public can GET.
    const leaks = personal.filter((p) => getBodies.some((b) => b.includes(p)))
    await t.close()
    expect(personal.length).toBeGreaterThan(0)
    expect(leaks).toEqual([])
  })

  const issueKey = async (admin: Staff, placeId: string, name = '测试合作方') =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/open311/keys',
      payload: { name, placeId },
      headers: await authHeader(t, { staff: admin }),
    })

  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url })
    getBodies.push(res.body)
    return res
  }

  const file = (
    format: 'json' | 'xml',
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ) => {
    for (const key of ['first_name', 'last_name', 'phone']) if (fields[key]) personal.push(fields[key])
    if (fields.first_name && fields.last_name) personal.push(`${fields.last_name}${fields.first_name}`)
    return t.app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    })
  }

  const filing = (extra: Record<string, string> = {}) => ({
    api_key: apiKey,
    service_code: 'facilities',
    address_id: c1.tokens[0][0],
    description: '3楼楼道灯不亮',
    first_name: '秀英',
    last_name: '王',
    phone: newPhone('138'),
    ...extra,
  })

  const ticketOf = (serviceRequestId: string) =>
    t.dataSource.getRepository(Ticket).findOneByOrFail({ number: Number(serviceRequestId.slice(2)) })

  describe('discovery and services', () => {
    it('serves the discovery document in both formats, at /open311 and /open311/v2', async () => {
      const res = await get('/open311/discovery.json')
      expect(res.statusCode).toBe(200)
      const body = json(res) as Json
      expect(keysOf(body)).toEqual(sorted(SPEC.discovery))
      const endpoints = body.endpoints as Json[]
      expect(endpoints).toHaveLength(1)
      expect(keysOf(endpoints[0])).toEqual(sorted(SPEC.endpoint))
      expect(endpoints[0]).toMatchObject({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: 'http://mq.test/open311/v2',
        type: 'test',
        formats: ['text/xml', 'application/json'],
      })
      expect(body.changeset).toMatch(W3_INSTANT)
      expect(body.contact).toContain('0731-12345')

      const doc = xml(await get('/open311/v2/discovery.xml'))
      expect(Object.keys(doc)).toEqual(['discovery'])
      const discovery = doc.discovery as Json
      expect(keysOf(discovery)).toEqual(sorted(SPEC.discovery))
      const endpoint = items(discovery.endpoints, 'endpoint')
      expect(endpoint).toHaveLength(1)
      expect(keysOf(endpoint[0])).toEqual(sorted(SPEC.endpoint))
      expect(items(endpoint[0].formats, 'format')).toEqual(['text/xml', 'application/json'])
    })

    it('lists the categories of a compound as services (JSON and XML), grouped by the leading role', async () => {
      const res = await get(`/open311/v2/services.json?jurisdiction_id=${c1.compound.id}`)
      expect(res.statusCode).toBe(200)
      const body = json(res) as Json[]
      checkServicesJson(body)
      expect(body).toHaveLength(13)
      expect(body.find((s) => s.service_code === 'facilities')).toMatchObject({
        service_name: '公共设施报修',
        group: '物业',
        metadata: true,
        type: 'realtime',
      })
      const services = checkServicesXml(
        xml(await get(`/open311/v2/services.xml?jurisdiction_id=${c1.compound.id}`)),
      )
      expect(services.map((s) => s.service_code)).toEqual(body.map((s) => s.service_code))
    })

    it('defines a service with the compound’s building units as a singlevaluelist (JSON and XML)', async () => {
      const res = await get(`/open311/v2/services/leak.json?jurisdiction_id=${c1.compound.id}`)
      expect(res.statusCode).toBe(200)
      const body = json(res) as Json
      expect(keysOf(body)).toEqual(sorted(SPEC.service_definition))
      expect(body.service_code).toBe('leak')
      const attributes = body.attributes as Json[]
      for (const a of attributes) {
        expect(keysOf(a)).toEqual(sorted(SPEC.attribute))
        expect(DATATYPES).toContain(a.datatype)
        expect(typeof a.variable).toBe('boolean')
        expect(typeof a.required).toBe('boolean')
        for (const v of a.values as Json[]) expect(keysOf(v)).toEqual(sorted(SPEC.value))
      }
      expect(attributes.map((a) => a.order)).toEqual([1, 2])
      const unit = attributes.find((a) => a.code === 'unit')!
      expect(unit.datatype).toBe('singlevaluelist')
      expect(unit.values).toEqual([
        { key: c1.units[0][0].id, name: '1幢 1单元' },
        { key: c1.units[0][1].id, name: '1幢 2单元' },
        { key: c1.units[1][0].id, name: '2幢 1单元' },
        { key: c1.units[1][1].id, name: '2幢 2单元' },
      ])

      const doc = xml(await get(`/open311/v2/services/leak.xml?jurisdiction_id=${c1.compound.id}`))
      expect(Object.keys(doc)).toEqual(['service_definition'])
      const definition = doc.service_definition as Json
      expect(keysOf(definition)).toEqual(sorted(SPEC.service_definition))
      const xmlAttributes = items(definition.attributes, 'attribute')
      expect(xmlAttributes).toHaveLength(2)
      for (const a of xmlAttributes) expect(keysOf(a)).toEqual(sorted(SPEC.attribute))
      const values = items(xmlAttributes[0].values, 'value')
      expect(values).toHaveLength(4)
      for (const v of values) expect(keysOf(v)).toEqual(sorted(SPEC.value))
    })

    it('answers 400 without a jurisdiction, 404 for an unknown one or an unknown service_code', async () => {
      expect(checkErrorJson(await get('/open311/v2/services.json'), 400)).toContain('jurisdiction_id')
      checkErrorXml(await get('/open311/v2/services.xml'), 400)
      checkErrorJson(await get(`/open311/v2/services.json?jurisdiction_id=${c1.units[0][0].id}`), 404)
      checkErrorJson(await get('/open311/v2/services.json?jurisdiction_id=not-a-compound'), 404)
      checkErrorXml(await get(`/open311/v2/services/potholes.xml?jurisdiction_id=${c1.compound.id}`), 404)
      checkErrorJson(await get(`/open311/v2/services/potholes.json?jurisdiction_id=${c1.compound.id}`), 404)
    })

    it('answers anything else under /open311 with its own 404, not the /api error shape', async () => {
      checkErrorJson(await get('/open311/v2/tokens/abc.json'), 404)
      checkErrorXml(await get('/open311/v2/services.csv'), 404)
      checkErrorXml(await t.app.inject({ method: 'DELETE', url: '/open311/v2/requests.xml' }), 404)
      checkErrorXml(await get('/open311/v2'), 404)
      checkErrorXml(await get('/open311'), 404)
    })
  })

  describe('filing (POST requests)', () => {
    it('refuses a missing, unknown or revoked api_key with 403', async () => {
      const { api_key: _, ...noKey } = filing()
      checkErrorJson(await file('json', noKey), 403)
      checkErrorJson(await file('json', filing({ api_key: 'mq311_' + 'x'.repeat(32) })), 403)
      checkErrorXml(await file('xml', filing({ api_key: 'not-a-key' })), 403)

      const other = await issueKey(admin1, c1.compound.id)
      const revoked = await t.app.inject({
        method: 'POST',
        url: `/api/admin/open311/keys/${other.json().id}/revoke`,
        headers: await authHeader(t, { staff: admin1 }),
      })
      expect(revoked.statusCode).toBe(200)
      expect(revoked.json().revokedAt).not.toBeNull()
      checkErrorJson(await file('json', filing({ api_key: other.json().apiKey })), 403)
      checkErrorXml(await file('xml', filing({ api_key: other.json().apiKey })), 403)
    })

    it('answers 400 for a missing service_code, location or name, 404 for an unknown service_code', async () => {
      const { service_code: _, ...noCode } = filing()
      expect(checkErrorJson(await file('json', noCode), 400)).toContain('service_code')
      checkErrorXml(await file('xml', noCode), 400)
      checkErrorJson(await file('json', filing({ service_code: 'potholes' })), 404)
      const { address_id: __, ...nowhere } = filing()
      expect(checkErrorJson(await file('json', nowhere), 400)).toContain('address_id')
      checkErrorJson(await file('json', { ...nowhere, lat: '28.2', long: '112.9' }), 400)
      checkErrorJson(await file('json', filing({ address_id: 'AAAAAAAAAAAAAAAA' })), 400)
      checkErrorJson(await file('json', filing({ first_name: '', last_name: '' })), 400)
      checkErrorJson(await file('json', filing({ phone: '电话打不通' })), 400)
      checkErrorJson(await file('json', filing({ description: '' })), 400)
      checkErrorJson(await file('json', filing({ media_url: 'javascript:alert(1)' })), 400)
      checkErrorJson(await file('json', filing({ jurisdiction_id: c2.compound.id })), 400)
      checkErrorJson(
        await file('json', filing({ jurisdiction_id: '00000000-0000-4000-8000-000000000000' })),
        404,
      )
    })

    it('files only into compounds under the key’s place (403 elsewhere)', async () => {
      const res = await file('json', filing({ address_id: c2.tokens[0][0] }))
      expect(checkErrorJson(res, 403)).toContain('api_key')
    })

    it('files by attribute[unit] too, and a retry with the same Idempotency-Key returns the same request', async () => {
      const fields = filing({
        address_id: '',
        'attribute[unit]': c1.units[1][1].id,
        'attribute[room]': '502',
      })
      const headers = { 'idempotency-key': `open311-${Date.now()}` }
      const first = await file('json', fields, headers)
      expect(first.statusCode).toBe(201)
      const again = await file('json', fields, headers)
      expect(again.statusCode).toBe(201)
      expect(again.json()).toEqual(first.json())
      checkErrorJson(await file('json', { ...fields, description: '另一件事' }, headers), 400)
      const ticket = await ticketOf(first.json()[0].service_request_id)
      expect(ticket).toMatchObject({ unitId: c1.units[1][1].id, room: '502' })
    })
  })

  describe('a request filed through Open311', () => {
    let id: string
    let ticket: Ticket
    const phone = newPhone('139')
    const mediaUrl = 'https://partner.example/photos/1.jpg'
    const byId = (format: 'json' | 'xml') =>
      get(`/open311/v2/requests/${id}.${format}?jurisdiction_id=${c1.compound.id}`)
    const current = async () => {
      const res = await byId('json')
      expect(res.statusCode).toBe(200)
      const body = json(res) as Json[]
      expect(body).toHaveLength(1)
      checkRequestJson(body[0])
      const fromXml = checkRequestsXml(xml(await byId('xml')))
      expect(fromXml).toHaveLength(1)
      expect(fromXml[0].status).toBe(body[0].status)
      expect(fromXml[0].status_notes ?? '').toBe(body[0].status_notes ?? '')
      return body[0]
    }
    const staffAction = async (action: string, payload: Json = {}) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/requests/${ticket.id}/${action}`,
        payload,
        headers: await authHeader(t, { staff: pm }),
      })
      expect(res.statusCode).toBe(200)
      return res.json()
    }

    it('is answered with its service_request_id (XML), and becomes a hotline proxy entry routed and timed like any other', async () => {
      const res = await file('xml', filing({ phone, 'attribute[room]': '302', media_url: mediaUrl }))
      expect(res.statusCode).toBe(201)
      const doc = xml(res)
      expect(Object.keys(doc)).toEqual(['service_requests'])
      const created = items(doc.service_requests, 'request')
      expect(created).toHaveLength(1)
      expect(keysOf(created[0])).toEqual(sorted(SPEC.created))
      id = created[0].service_request_id as string
      expect(id).toMatch(/^MQ\d{6}$/)
      // The deadline in words: a simple request is due by the end of its day (the next one after 17:00).
      expect(created[0].service_notice).toMatch(/^简单问题：\d{1,2}月\d{1,2}日 23:59 前办结$/)

      ticket = await ticketOf(id)
      expect(ticket).toMatchObject({
        channel: 'hotline',
        category: 'facilities',
        severity: 'simple',
        state: 'submitted',
        proxyName: '王秀英',
        proxyPhone: phone,
        proxyStaffId: null,
        room: '302',
        handlerStaffId: pm.id,
        handlerRole: 'property_manager',
        compoundId: c1.compound.id,
      })
      expect(ticket.acceptBy).toBeInstanceOf(Date)
      expect(ticket.resolveBy).toBeInstanceOf(Date)
      expect(ticket.nextDueAt).toEqual(ticket.acceptBy)
      const outbox = await t.dataSource.query<{ recipient_id: string; type: string }[]>(
        'SELECT recipient_id, type FROM notification_outbox WHERE ticket_id = $1',
        [ticket.id],
      )
      expect(outbox).toContainEqual({ recipient_id: pm.id, type: 'assigned' })

      // Staff see a proxy entry (物业 of the compound in full), filed by the partner system.
      const staffView = await t.app.inject({
        method: 'GET',
        url: `/api/requests/${ticket.id}`,
        headers: await authHeader(t, { staff: pm }),
      })
      expect(staffView.json()).toMatchObject({
        channel: 'hotline',
        reporter: { kind: 'proxy', masked: false, name: '王秀英', phone, room: '302' },
      })
      expect(staffView.json().timeline[0]).toMatchObject({
        type: 'filed',
        public: true,
        actor: { kind: 'system' },
        data: { channel: 'hotline', source: 'Open311：12345市民热线' },
      })
      const key = await t.dataSource.query<{ last_used_at: Date | null }[]>(
        'SELECT last_used_at FROM open311_api_key WHERE id = $1',
        [keyId],
      )
      expect(key[0].last_used_at).not.toBeNull()
    })

    it('reads back as open, with the handling role, the acceptance deadline and no personal data', async () => {
      const r = await current()
      expect(r).toMatchObject({
        service_request_id: id,
        status: 'open',
        status_notes: '已派单给物业',
        service_name: '公共设施报修',
        service_code: 'facilities',
        description: '3楼楼道灯不亮',
        agency_responsible: '物业',
        service_notice: expect.stringMatching(/^简单问题：\d{1,2}月\d{1,2}日 23:59 前办结$/),
        requested_datetime: open311Instant(ticket.createdAt),
        expected_datetime: open311Instant(ticket.acceptBy!),
        address: `${c1.compound.name} 1幢 1单元`,
        address_id: c1.units[0][0].id,
        zipcode: null,
        lat: null,
        long: null,
        media_url: mediaUrl,
      })
      expect(r.requested_datetime).toMatch(SHANGHAI)
    })

    it('follows staff handling through /api: accepted, an internal note (never shown), resolved', async () => {
      await staffAction('accept')
      const accepted = await current()
      const afterAccept = await ticketOf(id)
      expect(accepted).toMatchObject({
        status: 'open',
        status_notes: '已受理',
        expected_datetime: open311Instant(afterAccept.resolveBy!),
      })

      await staffAction('notes', { text: `内部备注：已电话联系${'王秀英'}，${phone}` })
      const noted = await current()
      expect(noted.status_notes).toBe('已受理')

      await staffAction('resolve', { note: '已更换楼道灯泡' })
      const resolved = await current()
      expect(resolved).toMatchObject({
        status: 'closed',
        status_notes: '办结：已更换楼道灯泡',
        expected_datetime: null,
      })
      expect(new Date(resolved.updated_datetime as string).getTime()).toBeGreaterThanOrEqual(
        new Date(resolved.requested_datetime as string).getTime(),
      )
      for (const body of getBodies) expect(body).not.toContain('内部备注')
    })

    it('is found by the list filters of GET requests', async () => {
      const base = `/open311/v2/requests.json?jurisdiction_id=${c1.compound.id}`
      const ids = async (query: string) => {
        const res = await get(`${base}${query}`)
        expect(res.statusCode).toBe(200)
        const body = json(res) as Json[]
        body.forEach(checkRequestJson)
        return body.map((r) => r.service_request_id)
      }
      expect(await ids('')).toContain(id)
      expect(await ids('&status=closed')).toContain(id)
      expect(await ids('&status=open')).not.toContain(id)
      expect(await ids('&status=open,closed')).toContain(id)
      expect(await ids('&service_code=facilities,leak')).toContain(id)
      expect(await ids('&service_code=facilities&service_code=leak')).toContain(id)
      expect(await ids('&service_code=leak')).not.toContain(id)
      expect(await ids(`&service_request_id=${id},MQ999999`)).toEqual([id])
      // Other filters do not apply when service_request_id is given.
      expect(await ids(`&service_request_id=${id}&status=open`)).toEqual([id])
      const filed = ticket.createdAt.getTime()
      const at = (ms: number) => encodeURIComponent(open311Instant(new Date(ms)))
      expect(await ids(`&start_date=${at(filed - 60_000)}&end_date=${at(filed + 60_000)}`)).toContain(id)
      expect(await ids(`&end_date=${at(filed - 60_000)}`)).not.toContain(id)
      // XML, the same list.
      const doc = xml(await get(`${base.replace('.json', '.xml')}&service_request_id=${id}`))
      expect(checkRequestsXml(doc).map((r) => r.service_request_id)).toEqual([id])
    })
  })

  describe('GET requests', () => {
    it('defaults to the last 90 days, newest first, and shows requests filed in the mini-app too', async () => {
      const resident = await makeResident(t, { name: '李四', phone: newPhone('137') })
      personal.push(resident.name!, resident.phone!)
      const recent = await makeTicket(t, { unit: c1.units[1][0], resident, category: 'leak', room: '801' })
      const old = await makeTicket(t, { unit: c1.units[1][0], resident, category: 'leak' })
      await t.dataSource.query(`UPDATE ticket SET created_at = now() - interval '100 days' WHERE id = $1`, [
        old.id,
      ])
      const number = (n: number) => `MQ${String(n).padStart(6, '0')}`
      const res = await get(`/open311/v2/requests.json?jurisdiction_id=${c1.compound.id}&service_code=leak`)
      const body = json(res) as Json[]
      expect(body.map((r) => r.service_request_id)).toContain(number(recent.number))
      expect(body.map((r) => r.service_request_id)).not.toContain(number(old.number))
      const times = body.map((r) => new Date(r.requested_datetime as string).getTime())
      expect([...times].sort((a, b) => b - a)).toEqual(times)
      const since = encodeURIComponent(open311Instant(new Date(Date.now() - 120 * 86_400_000)))
      const longer = json(
        await get(
          `/open311/v2/requests.json?jurisdiction_id=${c1.compound.id}&service_code=leak&start_date=${since}`,
        ),
      ) as Json[]
      expect(longer.map((r) => r.service_request_id)).toContain(number(old.number))
      expect(body.find((r) => r.service_request_id === number(recent.number))).toMatchObject({
        status: 'open',
        media_url: null,
      })
    })

    it('returns at most 1000 requests', async () => {
      const c3 = await makeCompound(t, [1])
      const seed = await makeTicket(t, { unit: c3.units[0][0], category: 'other' })
      await t.dataSource.query(
        `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                             clock_started_at, created_at, updated_at)
         SELECT unit_id, building_id, compound_id, category, severity, state, channel, description,
                clock_started_at, created_at - make_interval(secs => g), updated_at
           FROM ticket, generate_series(1, 1000) g WHERE id = $1`,
        [seed.id],
      )
      const res = await get(`/open311/v2/requests.json?jurisdiction_id=${c3.compound.id}`)
      expect(res.statusCode).toBe(200)
      expect(json(res)).toHaveLength(1000)
    })

    it('answers 404 for an unknown request, 400 for bad filters or a missing jurisdiction', async () => {
      checkErrorJson(await get('/open311/v2/requests/MQ999999.json'), 404)
      checkErrorXml(await get('/open311/v2/requests/MQ999999.xml'), 404)
      checkErrorXml(await get('/open311/v2/requests/nonsense.xml'), 404)
      const someone = await makeTicket(t, { unit: c2.units[0][0] })
      const other = `MQ${String(someone.number).padStart(6, '0')}`
      expect((await get(`/open311/v2/requests/${other}.json`)).statusCode).toBe(200)
      checkErrorJson(await get(`/open311/v2/requests/${other}.json?jurisdiction_id=${c1.compound.id}`), 404)
      checkErrorJson(await get('/open311/v2/requests.json'), 400)
      const base = `/open311/v2/requests.json?jurisdiction_id=${c1.compound.id}`
      checkErrorJson(await get(`${base}&status=pending`), 400)
      checkErrorJson(await get(`${base}&service_code=potholes`), 400)
      checkErrorJson(await get(`${base}&start_date=yesterday`), 400)
      checkErrorXml(
        await get(
          `${base.replace('.json', '.xml')}&start_date=2026-01-02T00:00:00Z&end_date=2026-01-01T00:00:00Z`,
        ),
        400,
      )
    })
  })

  describe('partner keys (admins)', () => {
    it('are issued once, stored hashed, listed without the secret, and scoped to the admin’s places', async () => {
      const res = await issueKey(admin1, c1.compound.id, '城市驾驶舱')
      expect(res.statusCode).toBe(201)
      const issued = res.json()
      expect(issued.apiKey).toMatch(/^mq311_[A-Za-z0-9_-]{32}$/)
      expect(issued).toMatchObject({
        name: '城市驾驶舱',
        place: { id: c1.compound.id, kind: 'compound' },
        prefix: issued.apiKey.slice(0, 10),
        jurisdictions: [{ id: c1.compound.id, name: c1.compound.name }],
        createdBy: '管理员一',
        revokedAt: null,
      })
      const stored = JSON.stringify(
        await t.dataSource.query('SELECT * FROM open311_api_key WHERE id = $1', [issued.id]),
      )
      expect(stored).not.toContain(issued.apiKey)

      const list = await t.app.inject({
        method: 'GET',
        url: '/api/admin/open311/keys',
        headers: await authHeader(t, { staff: admin1 }),
      })
      expect(list.statusCode).toBe(200)
      expect(list.body).not.toContain(issued.apiKey)
      expect(list.json().keys.map((k: Json) => k.id)).toEqual(expect.arrayContaining([issued.id, keyId]))

      // Another community's admin: the key and the place do not exist for them.
      const theirs = await t.app.inject({
        method: 'GET',
        url: '/api/admin/open311/keys',
        headers: await authHeader(t, { staff: admin2 }),
      })
      expect(theirs.json().keys).toEqual([])
      expect((await issueKey(admin2, c1.compound.id)).statusCode).toBe(404)
      const revoke = await t.app.inject({
        method: 'POST',
        url: `/api/admin/open311/keys/${issued.id}/revoke`,
        headers: await authHeader(t, { staff: admin2 }),
      })
      expect(revoke.statusCode).toBe(404)
      expect((await issueKey(admin1, c1.units[0][0].id)).statusCode).toBe(400)
      expect((await issueKey(pm, c1.compound.id)).statusCode).toBe(403)
    })
  })
})
