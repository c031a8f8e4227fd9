import { ErrorBodySchema } from '@mq/shared'
import { startTestApp, type TestApp } from '../../test/app'
import { makeCompound } from '../../test/factories'

// The whole app (startTestApp): the error shape of unknown routes and of Fastify's refusals is
// createApp's wiring.
describe('error shape', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('an unknown API route is a 404 with code, message and the request id of the response', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' })
    expect(res.statusCode).toBe(404)
    const body = ErrorBodySchema.parse(res.json())
    expect(body.code).toBe('ROUTE_NOT_FOUND')
    expect(body.requestId).toBe(res.headers['x-request-id'])
  })

  it('keeps a well-formed request id the caller sent', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/no-such-thing',
      headers: { 'x-request-id': 'trace-abc-12345' },
    })
    expect(res.json().requestId).toBe('trace-abc-12345')
    const bad = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': '<script>' } })
    expect(bad.json().requestId).not.toBe('<script>')
  })

  it('a malformed parameter is a 400 listing what is wrong', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/places/by-token/%3Cx%3E' })
    expect(res.statusCode).toBe(400)
    const body = ErrorBodySchema.parse(res.json())
    expect(body.code).toBe('VALIDATION_FAILED')
    expect(body.details?.length).toBeGreaterThan(0)
  })

  it('an unknown QR token is QR_NOT_FOUND (404), a replaced one QR_REPLACED (410)', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/places/by-token/unknownToken123' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('QR_NOT_FOUND')

    const c = await makeCompound(t, [1])
    await t.dataSource.query('UPDATE qr_code SET revoked_at = now() WHERE token = $1', [c.tokens[0][0]])
    const replaced = await t.app.inject({ method: 'GET', url: `/api/places/by-token/${c.tokens[0][0]}` })
    expect(replaced.statusCode).toBe(410)
    expect(replaced.json()).toMatchObject({ code: 'QR_REPLACED' })
    expect(replaced.json().message).toMatch(/已更换/)
  })
})

describe('bodies Fastify refuses before Nest sees them', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it.each([
    ['malformed JSON', { 'content-type': 'application/json' }, '{"phone":', 400, 'VALIDATION_FAILED'],
    ['an unsupported content type', { 'content-type': 'application/x-unknown' }, 'x', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over the limit', { 'content-type': 'application/json' }, JSON.stringify({ x: 'x'.repeat(1_100_000) }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('%s gets the API error shape', async (_name, headers, payload, status, code) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/staff/login', headers, payload })
    expect(res.statusCode).toBe(status)
    const body = ErrorBodySchema.parse(res.json())
    expect(body.code).toBe(code)
    expect(body.requestId).toBe(res.headers['x-request-id'])
  })
})
