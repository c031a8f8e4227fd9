import { XMLParser } from 'fast-xml-parser'
import { open311Instant, render, toXml } from './open311.format'
import { personName, statusNote } from './open311.service'

describe('Open311 formats', () => {
  it('writes instants in Asia/Shanghai with the +08:00 offset, to the second', () => {
    expect(open311Instant(new Date('2026-03-01T16:30:15.123Z'))).toBe('2026-03-02T00:30:15+08:00')
    expect(open311Instant('2026-03-01T00:00:00Z')).toBe('2026-03-01T08:00:00+08:00')
    expect(open311Instant(null)).toBeNull()
  })

  it('wraps lists in plural elements, writes null as an empty element, escapes text', () => {
    const xml = toXml({
      root: 'service_requests',
      body: [{ service_request_id: 'MQ000001', service_notice: 'a < b & "c"\u0007', account_id: null }],
    })
    expect(xml.split('\n')[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>')
    expect(xml).toContain('<account_id></account_id>')
    expect(xml).not.toContain('\u0007')
    const parsed = new XMLParser({ parseTagValue: false }).parse(xml)
    expect(parsed.service_requests.request).toEqual({
      service_request_id: 'MQ000001',
      service_notice: 'a < b & "c"',
      account_id: '',
    })
    expect(toXml({ root: 'services', body: [] })).toContain('<services></services>')
    expect(render({ root: 'errors', body: [{ code: 404, description: '没有' }] }, 'json')).toBe(
      '[{"code":404,"description":"没有"}]',
    )
  })

  it('joins GeoReport’s name parts the Chinese way for Chinese names', () => {
    expect(personName('秀英', '王')).toBe('王秀英')
    expect(personName(undefined, '王')).toBe('王')
    expect(personName('Lei', 'Li')).toBe('Lei Li')
    expect(personName(undefined, undefined)).toBe('')
  })

  it('says what a public timeline entry means for the status, and nothing for chases and ratings', () => {
    const at = '2026-03-01T00:00:00.000Z'
    const entry = (type: string, data: Record<string, unknown> = {}) =>
      statusNote({
        id: '1',
        at,
        type: type as never,
        public: true,
        actor: { kind: 'system', role: null, name: null },
        data,
      })
    expect(entry('routed', { role: 'property_manager' })).toBe('已派单给物业')
    expect(entry('replied', { plan: '更换水管', promisedAt: '2026-03-05T15:59:59.999Z' })).toBe(
      '答复：更换水管；承诺2026-03-05前办结',
    )
    expect(entry('rejected', { reason: '不属于本系统' })).toBe('不予受理：不属于本系统')
    expect(entry('merged', { intoNumber: 'MQ000009' })).toBe('与MQ000009合并办理')
    expect(entry('chased', { count: 1 })).toBeNull()
    expect(entry('rated', { stars: 5 })).toBeNull()
  })
})
